//! The development mailbox: every email the portal has sent, newest first, with working links.
//! It exists only outside production.

use crate::error::AppError;
use crate::ui::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub html: String,
    pub status: String,
    pub created_at: String,
}

pub const MAILBOX_PAGE_SIZE: u64 = 50;

#[server(prefix = "/api", endpoint = "mailbox_messages", output = server_fn::codec::Postcard)]
pub async fn mailbox_messages(page: u64) -> Result<Vec<MailboxMessage>, AppError> {
    use crate::entities::outbound_email;
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
    let state = use_context::<crate::platform::AppState>().ok_or(AppError::Internal)?;
    if !state.config.development_tools_enabled() {
        return Err(AppError::NotFound(
            "There is no mailbox in production.".to_owned(),
        ));
    }
    let rows = outbound_email::Entity::find()
        .order_by_desc(outbound_email::Column::Id)
        .offset(page * MAILBOX_PAGE_SIZE)
        .limit(MAILBOX_PAGE_SIZE)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| MailboxMessage {
            id: row.id,
            to: row.to_address,
            subject: row.subject,
            html: row.body_html,
            status: sea_orm::ActiveEnum::to_value(&row.status),
            created_at: row.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        })
        .collect())
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let (page, set_page) = signal(0u64);
    let messages = load(move || page.get(), mailbox_messages);
    view! {
        <PageTitle title="Development mailbox" lead="Every email the portal has sent, newest first. In production, email goes out over SMTP and this page does not exist."/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                Ok(match messages.await? {
                    messages if messages.is_empty() => view! { <p>"No email has been sent yet."</p> }.into_any(),
                    messages => {
                        let more = messages.len() as u64 == MAILBOX_PAGE_SIZE;
                        view! {
                            <ol class="mailbox">
                                {messages.into_iter().map(|message| view! {
                                    <li class="card mail">
                                        <h2 class="mail-subject">{message.subject}</h2>
                                        <p class="mail-meta">
                                            "To: " <span class="mail-to">{message.to}</span>
                                            " · " {message.created_at} " · " {message.status}
                                        </p>
                                        <div class="mail-body" inner_html=message.html></div>
                                    </li>
                                }).collect_view()}
                            </ol>
                            <nav class="pager" aria-label="Mailbox pages">
                                <button class="button" disabled=move || page.get() == 0
                                    on:click=move |_| set_page.update(|p| *p = p.saturating_sub(1))>"Newer"</button>
                                <button class="button" disabled=!more
                                    on:click=move |_| set_page.update(|p| *p += 1)>"Older"</button>
                            </nav>
                        }.into_any()
                    }
                })
            })}
        </Transition>
    }
}
