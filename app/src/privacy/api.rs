//! Server functions of the Privacy & Security requirements.

use super::types::{
    DeclarationSigning, DeclarationView, HpcaaSigning, ImportReport, Requirements, SignedAgreement,
    SignedDeclaration,
};
use crate::error::AppError;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

/// CareConnect staff import course completions as CSV.
#[server(prefix = "/api", endpoint = "import_course_completions", output = server_fn::codec::Postcard)]
pub async fn import_course_completions(csv: String) -> Result<ImportReport, AppError> {
    let ctx = RequestContext::load().await?;
    service::import_csv(&ctx.state, &ctx.actor().await?, &csv).await
}

/// The signed-in person's Privacy & Security requirements: the course and the HPCAA.
#[server(prefix = "/api", endpoint = "my_privacy_requirements", output = server_fn::codec::Postcard)]
pub async fn my_privacy_requirements() -> Result<Requirements, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    Ok(Requirements {
        course: service::course_status(ctx.db(), account_id).await?,
        hpcaa: super::hpcaa::view(ctx.db(), account_id).await?,
    })
}

/// "Sign Agreement".
#[server(prefix = "/api", endpoint = "sign_hpcaa", output = server_fn::codec::Postcard)]
pub async fn sign_hpcaa(form: HpcaaSigning) -> Result<SignedAgreement, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| super::hpcaa::sign(change, &form).await)
        .await
}

/// The worksite's site-level Privacy & Security declaration, for one of its members.
#[server(prefix = "/api", endpoint = "site_declaration", output = server_fn::codec::Postcard)]
pub async fn site_declaration(code: WorksiteId) -> Result<DeclarationView, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    super::declaration::view(ctx.db(), account_id, &code).await
}

/// "Sign Declaration", by an administrator with signing authority.
#[server(prefix = "/api", endpoint = "sign_site_declaration", output = server_fn::codec::Postcard)]
pub async fn sign_site_declaration(
    code: WorksiteId,
    form: DeclarationSigning,
) -> Result<SignedDeclaration, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| super::declaration::sign(change, &code, &form).await)
        .await
}
