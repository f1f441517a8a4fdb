//! Single-use, expiring tokens for the links the portal emails about an account.

use crate::entities::one_time_token;
use crate::error::{AppError, Refusal};
use crate::platform::tokens::{hash_token, new_token};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

/// Stores a new token's hash and returns the token for the link.
pub async fn issue(
    conn: &impl ConnectionTrait,
    account_id: i64,
    purpose: Purpose,
    email: Option<&str>,
    lifetime: Duration,
) -> Result<String, AppError> {
    let token = new_token();
    let now = Utc::now();
    one_time_token::ActiveModel {
        account_id: Set(account_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(hash_token(&token)),
        email: Set(email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(now + lifetime),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

fn judge(
    row: Option<one_time_token::Model>,
    now: DateTime<Utc>,
) -> Result<one_time_token::Model, AppError> {
    let row = row.ok_or(AppError::Refused(Refusal::LinkInvalid))?;
    if row.used_at.is_some() {
        return Err(AppError::Refused(Refusal::LinkUsed));
    }
    if row.expires_at <= now {
        return Err(AppError::Refused(Refusal::LinkExpired));
    }
    Ok(row)
}

async fn lookup(
    conn: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
) -> Result<Option<one_time_token::Model>, AppError> {
    Ok(one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(hash_token(token.trim())))
        .filter(one_time_token::Column::Purpose.eq(purpose.as_str()))
        .one(conn)
        .await?)
}

/// Whether the link would work, without using it up.
pub async fn check(
    conn: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
) -> Result<one_time_token::Model, AppError> {
    judge(lookup(conn, token, purpose).await?, Utc::now())
}

/// Uses the link up. Of two concurrent uses exactly one succeeds: the update is conditional.
pub async fn consume(
    conn: &impl ConnectionTrait,
    token: &str,
    purpose: Purpose,
) -> Result<one_time_token::Model, AppError> {
    let now = Utc::now();
    let row = judge(lookup(conn, token, purpose).await?, now)?;
    let updated = one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(now))
        .filter(one_time_token::Column::Id.eq(row.id))
        .filter(one_time_token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Refused(Refusal::LinkUsed));
    }
    Ok(row)
}

/// Retires every unused link of this kind, e.g. after a password reset or an address change.
pub async fn revoke_all(
    conn: &impl ConnectionTrait,
    account_id: i64,
    purpose: Purpose,
) -> Result<(), AppError> {
    one_time_token::Entity::update_many()
        .col_expr(one_time_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(one_time_token::Column::AccountId.eq(account_id))
        .filter(one_time_token::Column::Purpose.eq(purpose.as_str()))
        .filter(one_time_token::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
