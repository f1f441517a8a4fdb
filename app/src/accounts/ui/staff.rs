//! The CareConnect team's user lookup and one person's record.

use crate::accounts::api::{
    staff_find_people, staff_person, StaffDisableAccount, StaffEnableAccount,
};
use crate::accounts::types::{AccountId, PersonRecord};
use crate::text::REASON_MAX;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/users?q=…`: people by name, username or email.
#[component]
pub fn StaffUsersPage() -> impl IntoView {
    let query = use_query_map();
    let typed = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let found = load(move || typed.get(), staff_find_people);
    view! {
        <PageTitle title="User Lookup" lead="Find a person by name, username or email address."/>
        <StaffOnly>
            <section class="card">
                <SearchBox action="/staff/users" label="Name, username or email" button="Find People" typed/>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {awaiting(move || async move {
                        let found = found.await?;
                        let asked = !typed.get_untracked().trim().is_empty();
                        Ok::<_, crate::error::AppError>(if found.is_empty() {
                            asked.then(|| view! { <p role="status">"Nobody matches."</p> }).into_any()
                        } else {
                            view! {
                                <ul class="results">
                                    {found.into_iter().map(|p| view! {
                                        <li><a href=format!("/staff/users/{}", p.id)>{p.name}</a>
                                            <br/><span class="hint">{format!("{} · {} · {}", p.username, p.email.unwrap_or_else(|| "email not verified".to_owned()), p.profession)}</span></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        })
                    })}
                </Transition>
            </section>
        </StaffOnly>
    }
}

/// `/staff/users/:id`: one person's record.
#[component]
pub fn StaffUserPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<AccountId>().ok())
                .unwrap_or(AccountId::from(0))
        })
    });
    let disable = ServerAction::<StaffDisableAccount>::new();
    let enable = ServerAction::<StaffEnableAccount>::new();
    let record = load(
        move || (id.get(), disable.version().get(), enable.version().get()),
        |(id, _, _)| staff_person(id),
    );
    view! {
        <PageTitle title="User Record"/>
        <StaffOnly>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let record = record.await?;
                    let standing = view! { <Standing record=record.clone() disable enable/> };
                    Ok(view! { <Record record/> {standing} }.into_any())
                })}
            </Transition>
            <a class="button" href="/staff/users">"Back to User Lookup"</a>
        </StaffOnly>
    }
}

#[component]
fn Lines(heading: &'static str, lines: Vec<String>) -> impl IntoView {
    view! {
        <section class="card" aria-label=heading>
            <h2>{heading}</h2>
            {if lines.is_empty() {
                view! { <p>"None"</p> }.into_any()
            } else {
                view! { <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Record(record: PersonRecord) -> impl IntoView {
    let yes_no = |value: bool| if value { "Yes" } else { "No" };
    view! {
        <section class="card" aria-labelledby="person-heading">
            <h2 id="person-heading">{record.summary.name.clone()}</h2>
            <dl class="facts">
                <dt>"Username"</dt><dd>{record.summary.username.clone()}</dd>
                <dt>"Email"</dt><dd>{record.summary.email.clone().unwrap_or_else(|| "not verified".to_owned())}</dd>
                {record.pending_email.clone().map(|pending| view! { <dt>"Awaiting verification"</dt><dd>{pending}</dd> })}
                <dt>"Phone"</dt><dd>{record.phone.clone()}</dd>
                <dt>"Profession"</dt><dd>{format!("{} ({})", record.summary.profession, record.user_type)}</dd>
                <dt>"Licence Number"</dt><dd>{record.licence_number.clone().unwrap_or_default()}</dd>
                <dt>"Identity validated"</dt><dd>{yes_no(record.identity_validated)}</dd>
                <dt>"CareConnect team"</dt><dd>{yes_no(record.is_staff)}</dd>
                <dt>"Registered"</dt><dd>{record.registered_on.clone()}</dd>
                <dt>"P&S course"</dt><dd>{record.course.clone()}</dd>
                <dt>"HPCAA"</dt><dd>{record.hpcaa.clone()}</dd>
            </dl>
        </section>
        <Lines heading="Worksites" lines=record.memberships/>
        <section class="card" aria-label="CareConnect Requests">
            <h2>"CareConnect Requests"</h2>
            {if record.applications.is_empty() {
                view! { <p>"None"</p> }.into_any()
            } else {
                view! { <ul>{record.applications.into_iter().map(|(id, line)| view! {
                    <li><a href=format!("/staff/applications/{id}")>{line}</a></li>
                }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <Lines heading="Sponsorships" lines=record.sponsorships/>
        <Lines heading="CareConnect Access" lines=record.access/>
    }
}

/// Whether the person can sign in: "Disable account" with a reason, or "Enable account".
#[component]
fn Standing(
    record: PersonRecord,
    disable: ServerAction<StaffDisableAccount>,
    enable: ServerAction<StaffEnableAccount>,
) -> impl IntoView {
    let id = record.summary.id.to_string();
    let disable_errors = action_error(disable);
    let enable_errors = action_error(enable);
    view! {
        <section class="card" aria-labelledby="standing-heading">
            <h2 id="standing-heading">"Account status"</h2>
            {match record.disabled {
                Some(disabled) => view! {
                    <p>{disabled}</p>
                    <p class="hint">"Nobody can sign in to this account until it is enabled again."</p>
                    <ActionForm action=enable>
                        <FormError errors=enable_errors/>
                        <input type="hidden" name="id" value=id/>
                        <SubmitButton label="Enable account" pending=enable.pending()/>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <p>"Active: the person can sign in."</p>
                    <ActionForm action=disable>
                        <FormError errors=disable_errors/>
                        <input type="hidden" name="id" value=id/>
                        <TextAreaField label="Reason for disabling" name="reason" field="reason"
                            errors=disable_errors rows=2 maxlength=REASON_MAX
                            hint="Signs the person out everywhere and refuses every sign-in. Kept in the audit log."/>
                        <button type="submit" class="button button-danger">"Disable account"</button>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}
