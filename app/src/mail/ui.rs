//! `/staff/emails`: the CareConnect team's email delivery log, with "Resend" for a failed one.

use super::api::{email_delivery_log, ResendEmail};
use super::types::{Delivery, DeliveryQuery, DeliveryRow};
use crate::paging::NumberedPage;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EmailDeliveryLogPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|q| DeliveryQuery {
            recipient: q.get("recipient").unwrap_or_default(),
            delivery: q.get("delivery").unwrap_or_default(),
            page: q
                .get("page")
                .and_then(|page| page.parse().ok())
                .unwrap_or(0),
        })
    });
    let resend = ServerAction::<ResendEmail>::new();
    let log = load(
        move || (query.get(), resend.version().get()),
        |(query, _)| email_delivery_log(query),
    );
    let resend_errors = action_error(resend);
    view! {
        <PageTitle title="Email Delivery Log" lead="Every email the portal has sent or is sending, newest first: where it stands, how often it was tried and the mail server's last reply."/>
        <StaffOnly>
            <section class="card">
                <div aria-live="assertive">
                    {move || resend_errors.get().map(|error| error_alert(&error))}
                    {move || resend.value().get().and_then(Result::ok).map(|()| view! {
                        <Notice>"The email is queued to be sent again."</Notice>
                    })}
                </div>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {awaiting(move || async move {
                        Ok(searched(
                            log.await,
                            |errors| view! { <DeliveryFilters query=query.get_untracked() errors/> }.into_any(),
                            |page| view! { <DeliveryTable page query=query.get_untracked() resend/> }.into_any(),
                        ))
                    })}
                </Transition>
            </section>
        </StaffOnly>
    }
}

#[component]
fn DeliveryFilters(
    query: DeliveryQuery,
    errors: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let statuses = Delivery::ALL
        .into_iter()
        .map(|delivery| (delivery.code().to_owned(), delivery.label().to_owned()))
        .collect();
    view! {
        <form method="get" action="/staff/emails" class="filters" role="search" aria-label="Search the email delivery log" novalidate>
            <FormError errors/>
            <Field label="Recipient" name="recipient" field="recipient" errors input_type="email" value=query.recipient/>
            <SelectField label="Delivery" name="delivery" field="delivery" errors options=statuses
                placeholder="Any" selected=query.delivery/>
            <button type="submit" class="button">"Search"</button>
        </form>
    }
}

#[component]
fn DeliveryTable(
    page: NumberedPage<DeliveryRow>,
    query: DeliveryQuery,
    resend: ServerAction<ResendEmail>,
) -> impl IntoView {
    let link = page_link("/staff/emails", query.query_string());
    let per_page = u32::try_from(page.per_page).unwrap_or(u32::MAX);
    let current = u32::try_from(page.page).unwrap_or(0);
    view! {
        <p role="status">{page.position("email", "emails")}</p>
        <div class="table-scroll">
            <table class="table deliveries">
                <thead><tr>
                    <th scope="col">"Queued"</th>
                    <th scope="col">"Recipient"</th>
                    <th scope="col">"Subject"</th>
                    <th scope="col">"Cause"</th>
                    <th scope="col">"Delivery"</th>
                    <th scope="col">"Attempts"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {page.items.into_iter().map(|row| {
                        let failed = row.standing.delivery == Delivery::Failed;
                        let resend_label = format!("Resend the email to {}: {}", row.to, row.subject);
                        let attempts = match (&row.last_attempt_at, &row.sent_at) {
                            (_, Some(sent)) => format!("{} (sent {sent})", row.attempts),
                            (Some(last), None) => format!("{} (last {last})", row.attempts),
                            (None, None) => row.attempts.to_string(),
                        };
                        view! {
                            <tr>
                                <td>{row.queued_at}</td>
                                <td>{row.to.clone()}</td>
                                <td>{row.subject.clone()}<br/><span class="hint">{row.message_id}</span></td>
                                <td>{row.cause.unwrap_or_default()}
                                    {row.regarding.map(|regarding| view! { <br/><span class="hint">{regarding}</span> })}</td>
                                <td>{row.standing.describe()}</td>
                                <td>{attempts}</td>
                                <td class="row-actions">
                                    {failed.then(|| view! {
                                        <ActionForm action=resend attr:class="inline-form">
                                            <input type="hidden" name="id" value=row.id.to_string()/>
                                            <button type="submit" class="button button-small" aria-label=resend_label>"Resend"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager current total=page.total page_size=per_page link/>
    }
}
