//! The CareConnect team's application queue and the application's review page.

use super::api::{application_queue, load_application_detail, DecideApplication};
use super::types::*;
use super::ui::Checklist;
use crate::professions::api::list_professions;
use crate::ui::*;
use crate::worksites::types::WorksiteType;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn no_errors() -> Signal<Option<crate::error::AppError>> {
    Signal::stored(None)
}

/// `/staff/applications`: the queue, filtered by the query string, oldest first.
#[component]
pub fn ApplicationQueuePage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let text = |key: &str| q.get(key).unwrap_or_default();
            QueueFilter {
                status: text("status"),
                worksite_type: text("worksite_type"),
                profession: text("profession"),
                older_than_days: text("older_than_days"),
                page: text("page").parse().unwrap_or(0),
            }
        })
    });
    let queue = load(move || filter.get(), application_queue);
    let professions = load(|| (), |_| list_professions());
    view! {
        <PageTitle title="Application Queue" lead="CareConnect access requests, oldest first. Open requests unless a status is chosen."/>
        <StaffOnly>
            <section class="card">
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {awaiting(move || async move {
                        let professions = professions.await?;
                        let page = queue.await?;
                        Ok(view! {
                            <QueueFilters filter=filter.get_untracked() professions/>
                            <QueueTable page filter=filter.get_untracked()/>
                        }.into_any())
                    })}
                </Transition>
            </section>
        </StaffOnly>
    }
}

#[component]
fn QueueFilters(
    filter: QueueFilter,
    professions: Vec<crate::professions::types::Profession>,
) -> impl IntoView {
    let statuses = ApplicationStatus::ALL
        .into_iter()
        .map(|s| (s.code().to_owned(), s.label().to_owned()))
        .collect();
    let types = WorksiteType::ALL
        .into_iter()
        .map(|t| (t.code().to_owned(), t.label().to_owned()))
        .collect();
    let professions = professions
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let ages = [1, 3, 7, 14, 30]
        .into_iter()
        .map(|days| (days.to_string(), format!("{days} days or more")))
        .collect();
    view! {
        <form method="get" action="/staff/applications" class="filters" role="search" aria-label="Filter the queue">
            <SelectField label="Status" name="status" field="status" errors=no_errors() options=statuses
                placeholder="Open requests" selected=filter.status/>
            <SelectField label="Worksite Type" name="worksite_type" field="worksite_type" errors=no_errors() options=types
                placeholder="All worksite types" selected=filter.worksite_type/>
            <SelectField label="Profession" name="profession" field="profession" errors=no_errors() options=professions
                placeholder="All professions" selected=filter.profession/>
            <SelectField label="Waiting" name="older_than_days" field="older_than_days" errors=no_errors() options=ages
                placeholder="Any age" selected=filter.older_than_days/>
            <button type="submit" class="button">"Filter"</button>
        </form>
    }
}

/// The queue's URL with `filter` on page `page`.
fn page_link(filter: &QueueFilter, page: u32) -> String {
    let criteria = query_string(&[
        ("status", &filter.status),
        ("worksite_type", &filter.worksite_type),
        ("profession", &filter.profession),
        ("older_than_days", &filter.older_than_days),
        ("page", &page.to_string()),
    ]);
    format!("/staff/applications?{criteria}")
}

#[component]
fn QueueTable(page: QueuePage, filter: QueueFilter) -> impl IntoView {
    view! {
        <p role="status">{format!("{} requests", page.total)}</p>
        {if page.rows.is_empty() {
            view! { <p>"No requests match these filters."</p> }.into_any()
        } else {
            view! {
                <table class="table queue">
                    <thead><tr>
                        <th scope="col">"Applicant"</th>
                        <th scope="col">"Profession"</th>
                        <th scope="col">"Worksite"</th>
                        <th scope="col">"Worksite Type"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Submitted"</th>
                        <th scope="col">"Days waiting"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|row| view! {
                            <tr>
                                <td><a href=format!("/staff/applications/{}", row.id)>{row.applicant}</a></td>
                                <td>{row.profession}</td>
                                <td>{row.worksite}</td>
                                <td>{row.worksite_type.label()}</td>
                                <td>{row.status.label()}</td>
                                <td>{row.submitted_on}</td>
                                <td>{row.age_days}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <Pager current=page.page total=page.total page_size=page.page_size link=move |n| page_link(&filter, n)/>
    }
}

/// `/staff/applications/:id`: the request, the applicant's checklist and the decisions.
#[component]
pub fn ApplicationReviewPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<ApplicationId>().ok())
                .unwrap_or(ApplicationId::from(0))
        })
    });
    let decide = ServerAction::<DecideApplication>::new();
    let detail = load(
        move || (id.get(), decide.version().get()),
        |(id, _)| load_application_detail(id),
    );
    view! {
        <PageTitle title="CareConnect Request"/>
        <StaffOnly>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let detail = detail.await?;
                    Ok(view! { <Review detail decide/> }.into_any())
                })}
            </Transition>
            <a class="button" href="/staff/applications">"Back to the Application Queue"</a>
        </StaffOnly>
    }
}

#[component]
fn Review(detail: ApplicationDetail, decide: ServerAction<DecideApplication>) -> impl IntoView {
    let application = detail.application;
    let id = application.id;
    let status = application.status;
    let errors = action_error(decide);
    let yes_no = |value: bool| if value { "Yes" } else { "No" };
    view! {
        <section class="card" aria-labelledby="applicant-heading">
            <h2 id="applicant-heading">{detail.applicant.clone()}</h2>
            <dl class="facts">
                <dt>"Status"</dt><dd>{status.label()}</dd>
                <dt>"Profession"</dt><dd>{format!("{} ({})", detail.profession, detail.user_type)}</dd>
                <dt>"Email"</dt><dd>{detail.applicant_email.unwrap_or_else(|| "not verified".to_owned())}</dd>
                <dt>"Worksite"</dt><dd>{format!("{} ({}) — {}", application.worksite.name, application.worksite.code, application.worksite.address)}</dd>
                <dt>"Worksite Type"</dt><dd>{application.worksite.worksite_type.label()}</dd>
                <dt>"Licence / College Number"</dt><dd>{application.licence_number.clone()}</dd>
                <dt>"Health authority CareConnect access"</dt>
                <dd>{format!("{}{}", yes_no(application.has_health_authority_access),
                    application.health_authority_details.clone().map(|d| format!(": {d}")).unwrap_or_default())}</dd>
                <dt>"Direct patient care attested"</dt><dd>{yes_no(application.direct_patient_care)}</dd>
                <dt>"Submitted"</dt><dd>{application.submitted_on.clone()}</dd>
                <dt>"Last change"</dt><dd>{application.updated_on.clone()}</dd>
                {application.staff_message.clone().map(|message| view! { <dt>"Message to the applicant"</dt><dd>{message}</dd> })}
            </dl>
            <a href=format!("/staff/users/{}", detail.applicant_id)>"See the applicant's account"</a>
        </section>
        <section class="card" aria-labelledby="requirements-heading">
            <h2 id="requirements-heading">"Requirements"</h2>
            <Checklist items=application.checklist/>
        </section>
        {move || decide.value().get().and_then(Result::ok).map(|_| view! { <Notice>"The decision was recorded; the applicant has been told."</Notice> })}
        {status.is_open().then(|| view! {
            <section class="card" aria-labelledby="decision-heading">
                <h2 id="decision-heading">"Decision"</h2>
                <FormError errors/>
                <div class="decisions">
                    {[Decision::StartReview, Decision::Approve].into_iter()
                        .filter(|d| *d != Decision::StartReview || status == ApplicationStatus::Submitted)
                        .filter(|d| *d != Decision::Approve || status != ApplicationStatus::Returned)
                        .map(|d| view! {
                            <ActionForm action=decide attr:class="inline-form">
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="seen" value=status.code()/>
                                <input type="hidden" name="decision" value=d.code()/>
                                <input type="hidden" name="message" value=""/>
                                <button type="submit" class="button button-primary">{d.label()}</button>
                            </ActionForm>
                        }).collect_view()}
                </div>
                <ActionForm action=decide>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="seen" value=status.code()/>
                    <TextAreaField label="Message to the applicant" name="message" field="message" errors rows=3 maxlength=1000
                        hint="Required to deny (the reason) or to return for information (what is needed)."/>
                    {(status != ApplicationStatus::Returned).then(|| view! {
                        <button type="submit" class="button" name="decision" value=Decision::ReturnForInformation.code()>{Decision::ReturnForInformation.label()}</button>
                    })}
                    " "
                    <button type="submit" class="button button-danger" name="decision" value=Decision::Deny.code()>{Decision::Deny.label()}</button>
                </ActionForm>
            </section>
        })}
    }
}
