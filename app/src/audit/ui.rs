//! `/staff/audit`: the CareConnect team's audit search, with its CSV export.

use super::api::search_audit_log;
use super::types::{AuditAction, AuditPage, AuditQuery};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|q| {
            let text = |key: &str| q.get(key).unwrap_or_default();
            AuditQuery {
                actor: text("actor"),
                worksite: text("worksite"),
                action: text("action"),
                from: text("from"),
                to: text("to"),
                page: text("page").parse().unwrap_or(0),
            }
        })
    });
    let page = load(move || query.get(), search_audit_log);
    view! {
        <PageTitle title="Audit Log" lead="Every change of access, newest first. Search by who acted, at which worksite, what they did and when."/>
        <StaffOnly>
            <section class="card">
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {awaiting(move || async move {
                        Ok(searched(
                            page.await,
                            |errors| view! { <AuditFilters query=query.get_untracked() errors/> }.into_any(),
                            |page| view! { <AuditTable page query=query.get_untracked()/> }.into_any(),
                        ))
                    })}
                </Transition>
            </section>
        </StaffOnly>
    }
}

#[component]
fn AuditFilters(
    query: AuditQuery,
    errors: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let actions = AuditAction::ALL
        .into_iter()
        .map(|a| (a.as_str().to_owned(), a.label()))
        .collect();
    view! {
        <form method="get" action="/staff/audit" class="filters" role="search" aria-label="Search the audit log" novalidate>
            <FormError errors/>
            <Field label="Actor (email or username)" name="actor" field="actor" errors value=query.actor/>
            <Field label="Worksite ID" name="worksite" field="worksite" errors value=query.worksite/>
            <SelectField label="Action" name="action" field="action" errors options=actions
                placeholder="Any action" selected=query.action/>
            <Field label="From" name="from" field="from" errors input_type="date" value=query.from/>
            <Field label="To" name="to" field="to" errors input_type="date" value=query.to/>
            <button type="submit" class="button">"Search"</button>
        </form>
    }
}

#[component]
fn AuditTable(page: AuditPage, query: AuditQuery) -> impl IntoView {
    let criteria = query.query_string();
    let export = format!("/staff/audit.csv?{criteria}");
    let link = page_link("/staff/audit", criteria);
    view! {
        <p role="status">{format!("{} events", page.total)} " " <a class="button button-small" href=export download="audit-log.csv">"Export CSV"</a></p>
        <div class="table-scroll">
            <table class="table audit">
                <thead><tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"Actor"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Worksite"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"From"</th>
                    <th scope="col">"Details"</th>
                </tr></thead>
                <tbody>
                    {page.rows.into_iter().map(|row| view! {
                        <tr>
                            <td>{row.occurred_at}</td>
                            <td>{row.actor.unwrap_or_else(|| "the portal".to_owned())}
                                {row.on_behalf_of.map(|obo| view! { <br/><span class="hint">{format!("on behalf of {obo}")}</span> })}</td>
                            <td>{row.action}</td>
                            <td>{row.worksite.unwrap_or_default()}</td>
                            <td>{row.target}</td>
                            <td>{row.client_addr.unwrap_or_default()}</td>
                            <td><code>{row.details}</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager current=page.page total=page.total page_size=page.page_size link/>
    }
}
