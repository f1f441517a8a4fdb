//! The worksite pages: Worksite Access (my worksites, find, register) and the worksite page.

mod access;
mod address_finder;
mod address_search;
mod other_tabs;
mod page;
mod register;
mod staff;
mod tabs;

pub use access::WorksiteAccessPage;
#[cfg(feature = "hydrate")]
pub use other_tabs::load_for_tab_in_url;
pub use page::WorksitePage;
pub use register::RegisterWorksitePage;
pub use staff::{StaffWorksitePage, StaffWorksitesPage};

use crate::worksites::types::{WorksiteId, WorksiteType};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The Worksite ID in the page's address (`:code`); `None` when it cannot be one, which the
/// page shows as it shows a worksite it cannot find, without asking the server.
pub fn worksite_in_path() -> Memo<Option<WorksiteId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("code").and_then(|code| code.parse().ok())))
}

/// Says plainly when a worksite's members cannot be granted CareConnect access.
#[component]
pub fn EligibilityNote(worksite_type: WorksiteType) -> impl IntoView {
    (!worksite_type.eligible_for_careconnect()).then(|| {
        view! {
            <p class="alert alert-warning eligibility-note">
                {format!(
                    "{} worksites may register, but their members cannot be granted CareConnect access. ",
                    worksite_type.label()
                )}
                "If you believe your worksite qualifies, email "
                <a href="mailto:private.careconnect@phsa.ca">"private.careconnect@phsa.ca"</a> "."
            </p>
        }
    })
}

/// One worksite as search results and lists show it.
#[component]
pub fn WorksiteCard(
    worksite: crate::worksites::types::WorksiteSummary,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="worksite-card">
            <p class="worksite-card-name">{worksite.name}</p>
            <p class="worksite-card-address">{worksite.address}</p>
            <p class="worksite-card-meta">
                "Worksite Id: " <strong>{worksite.code.to_string()}</strong> " · " {worksite.worksite_type.label()}
            </p>
            {children.map(|children| children())}
        </div>
    }
}

/// Options whose value is their label (the EMR and clinic type lists).
fn plain_options(values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}
