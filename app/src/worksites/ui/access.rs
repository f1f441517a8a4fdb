use super::{address_search::AddressSearch, EligibilityNote, WorksiteCard};
use crate::accounts::types::CurrentUser;
use crate::join_requests::ui::MyPendingRequests;
use crate::memberships::api::LeaveWorksite;
use crate::notifications::ui::{reload_on_live_updates, use_attention};
use crate::ui::*;
use crate::worksites::api::{my_worksites, FindWorksite};
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;

/// "Worksite Access": the user's worksites, and the two ways to a new one.
#[component]
pub fn WorksiteAccessPage() -> impl IntoView {
    view! {
        <PageTitle title="Worksite Access"
            lead="Join a Worksite or setup access for your Clinic. Some applications will require you to be a member of a worksite"/>
        <RequireUser children=|_user: CurrentUser| view! {
            <MyWorksites/>
            <MyPendingRequests/>
            <div class="two-columns">
                <FindByWorksiteId/>
                <section class="card" aria-labelledby="by-address-heading">
                    <h2 id="by-address-heading">"I would like to create a new worksite, or search for my worksite by address."</h2>
                    <AddressSearch/>
                    <p>"Not listed? Register your clinic; you become its first Group / Site Administrator."</p>
                    <a class="button" href="/worksites/register">"Register a New Worksite"</a>
                </section>
            </div>
        }/>
    }
}

#[component]
fn MyWorksites() -> impl IntoView {
    let attention = use_attention();
    let leave = ServerAction::<LeaveWorksite>::new();
    let worksites = load(move || leave.version().get(), |_| my_worksites());
    reload_on_live_updates(worksites);
    let confirmation = confirming(leave, |(_, name): &(WorksiteId, String)| {
        format!("You left {name}.")
    });
    let ask = Callback::new(move |worksite: (WorksiteId, String)| confirmation.ask(worksite));
    let confirm = Callback::new(move |()| {
        if let Some((code, _)) = confirmation.subject.get_untracked() {
            leave.dispatch(LeaveWorksite { code });
        }
    });
    view! {
        <section id="my-worksites" class="card" aria-labelledby="my-worksites-heading" tabindex="-1">
            <h2 id="my-worksites-heading">"My Worksites"</h2>
            {move || confirmation.done.get().map(|message| view! { <Notice>{message}</Notice> })}
            <ConfirmDialog open=confirmation.open on_confirm=confirm pending=leave.pending() error=confirmation.refusal fallback_focus="my-worksites">
                {move || confirmation.subject.get().map(|(_, name)| view! {
                    <p>"Please confirm you would like to " <strong>{format!("LEAVE {name}.")}</strong></p>
                    <p>"You will no longer be able to access CareConnect from this worksite, and your sponsorships at this worksite will end. A Group / Site Administrator can set you active again."</p>
                })}
            </ConfirmDialog>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let waiting = attention.await.map(|a| a.waiting_requests).unwrap_or_default();
                Ok(match worksites.await? {
                        list if list.is_empty() => view! {
                            <p>"You are not a member of any worksite yet. Join one with its Worksite ID or address, or register your clinic."</p>
                        }.into_any(),
                        list => view! {
                            <ul class="worksite-list">
                                {list.into_iter().map(|mine| {
                                    let href = format!("/worksites/{}", mine.worksite.code);
                                    let leaving = (mine.worksite.code.clone(), mine.worksite.name.clone());
                                    let role = if mine.is_admin { "Group / Site Administrator" } else { "Member" };
                                    let requests_href = format!("/worksites/{}#requests", mine.worksite.code);
                                    let requests = waiting.iter().find(|w| w.code == mine.worksite.code).map(|w| view! {
                                        <a class="badge badge-warning" href=requests_href>
                                            {format!("{} requesting access", w.count)}
                                        </a>
                                    });
                                    view! {
                                        <li>
                                            <WorksiteCard worksite=mine.worksite>
                                                <p>
                                                    <span class="badge">{role}</span>
                                                    {(!mine.active).then(|| view! { <span class="badge badge-warning">"Inactive"</span> })}
                                                    {requests}
                                                </p>
                                                {mine.active.then(|| {
                                                    view! {
                                                        <div class="request-actions">
                                                            <a class="button" href=href>"Update / Review Worksite"</a>
                                                            <button type="button" class="button" on:click=move |_| ask.run(leaving.clone())>"Leave Worksite"</button>
                                                        </div>
                                                    }
                                                })}
                                            </WorksiteCard>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn FindByWorksiteId() -> impl IntoView {
    let action = ServerAction::<FindWorksite>::new();
    let errors = action_error(action);
    view! {
        <section class="card" aria-labelledby="by-id-heading">
            <h2 id="by-id-heading">"I was provided code to register with"</h2>
            <ActionForm action=action attr:novalidate=true>
                <FormError errors/>
                <Field label="Worksite ID" name="worksite_id" field="worksite_id" errors required=true
                    hint="7 letters and digits, from your registration email or your site administrator."/>
                <SubmitButton label="Find Worksite" pending=action.pending()/>
            </ActionForm>
            {move || action.value().get().and_then(Result::ok).map(|worksite| {
                let worksite_type = worksite.worksite_type;
                let code = worksite.code.clone();
                view! {
                    <div class="found" role="status">
                        <WorksiteCard worksite>
                            <EligibilityNote worksite_type/>
                            <a class="button button-primary" href=format!("/join/{code}")>"Request Access"</a>
                        </WorksiteCard>
                    </div>
                }
            })}
        </section>
    }
}
