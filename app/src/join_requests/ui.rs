//! The Worksite Access Form, "Users Requesting Access", the approval link's page and the
//! person's own pending requests.

use super::api::*;
use super::types::{Decision, WaitingPage, WaitingRequest};
use crate::accounts::types::CurrentUser;
use crate::notifications::ui::reload_on_live_updates;
use crate::ui::*;
use crate::worksites::api::find_worksite;
use crate::worksites::types::WorksiteId;
use crate::worksites::ui::{EligibilityNote, WorksiteCard};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "Worksite Access Form": the worksite, a comment for its administrators, "Request Access".
#[component]
pub fn JoinWorksitePage() -> impl IntoView {
    view! {
        <PageTitle title="Worksite Access Form"/>
        <RequireUser children=|_user: CurrentUser| view! { <AccessForm/> }/>
    }
}

#[component]
fn AccessForm() -> impl IntoView {
    let params = use_params_map();
    let code =
        Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default().to_uppercase()));
    let worksite = load(move || code.get(), find_worksite);
    let action = ServerAction::<RequestAccess>::new();
    let errors = action_error(action);
    view! {
        <section class="card">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    Ok(match worksite.await {
                        Ok(worksite) => {
                            let worksite_type = worksite.worksite_type;
                            let code = worksite.code.clone();
                            view! {
                                <WorksiteCard worksite>
                                    <EligibilityNote worksite_type/>
                                </WorksiteCard>
                                <Show when=move || !action_succeeded(action).get() fallback=move || view! {
                                    <Notice>
                                        {move || action.value().get().and_then(Result::ok).map(|w| format!(
                                            "Your request to join {} was sent to its Group / Site Administrators. We will email you once they decide.", w.name))}
                                    </Notice>
                                    <a class="button" href="/worksites">"Back to Worksite Access"</a>
                                }>
                                    {
                                    let code = code.clone();
                                    view! {
                                    <ActionForm action=action attr:novalidate=true>
                                        <FormError errors/>
                                        <input type="hidden" name="form[code]" value=code.to_string()/>
                                        <TextAreaField label="Request Access to Worksite" name="form[comment]" field="comment" errors
                                            hint="Optional: tell the administrators who you are and why you need access, e.g. your role at the clinic."
                                            maxlength=super::types::COMMENT_MAX/>
                                        <SubmitButton label="Request Access" pending=action.pending()/>
                                    </ActionForm>
                                    }
                                    }
                                </Show>
                            }.into_any()
                        }
                        Err(_) => view! {
                            <p class="alert alert-error" role="alert">"No worksite has this Worksite ID. Please check it with your site administrator."</p>
                            <a class="button" href="/worksites">"Back to Worksite Access"</a>
                        }.into_any(),
                    })
                })}
            </Transition>
        </section>
    }
}

/// "Users Requesting Access" on the worksite page, for its administrators; new requests appear
/// without reloading.
#[component]
pub fn UsersRequestingAccess(code: WorksiteId, worksite_name: String) -> impl IntoView {
    let action = ServerAction::<DecideJoinRequest>::new();
    // The page asked for (zero-based); the server answers with the last one if it is past the end.
    let page = RwSignal::new(0u64);
    let requests = {
        let code = code.clone();
        load(
            move || (code.clone(), page.get(), action.version().get()),
            |(code, page, _)| waiting_join_requests(code, page),
        )
    };
    reload_on_live_updates(requests);
    let confirmation = confirming(
        action,
        |(request, decision): &(WaitingRequest, Decision)| decision.done(&request.name),
    );
    // A rejection's reason, typed in the confirmation; the requester reads it.
    let reason = RwSignal::new(String::new());
    let errors = action_error(action);
    let ask = Callback::new(move |asked: (WaitingRequest, Decision)| {
        reason.set(String::new());
        confirmation.ask(asked)
    });
    let confirm = Callback::new(move |()| {
        if let Some((request, decision)) = confirmation.subject.get_untracked() {
            action.dispatch(DecideJoinRequest {
                code: code.clone(),
                request_id: request.id,
                decision,
                reason: (decision == Decision::Reject).then(|| reason.get_untracked()),
            });
        }
    });
    view! {
        <section id="requests" class="card requests" aria-labelledby="requests-heading" tabindex="-1">
            <h2 id="requests-heading">"Users Requesting Access"</h2>
            {move || confirmation.done.get().map(|message| view! { <Notice>{message}</Notice> })}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let list = requests.await?;
                    Ok(view! { <WaitingList list page ask/> }.into_any())
                })}
            </Transition>
            <ConfirmDialog open=confirmation.open on_confirm=confirm pending=action.pending() error=confirmation.refusal fallback_focus="requests">
                {move || confirmation.subject.get().map(|(request, decision)| view! {
                    <p>"Please confirm you would like to " <strong>{decision.confirmation(&request.name, &worksite_name)}</strong></p>
                    {(decision == Decision::Reject).then(|| view! {
                        <TextAreaField label="Reason (optional)" name="reason" field="reason" errors text=reason rows=3
                            hint="The person reads it in the email and on My.CareConnect." maxlength=crate::text::REASON_MAX/>
                    })}
                })}
            </ConfirmDialog>
        </section>
    }
}

/// A page of waiting requests, each with "Accept Request" and "Reject Request", and its pager.
#[component]
fn WaitingList(
    list: WaitingPage,
    page: RwSignal<u64>,
    ask: Callback<(WaitingRequest, Decision)>,
) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p>"No one is waiting to join this worksite."</p> }.into_any();
    }
    let current = list.page;
    let pager = (list.page_count() > 1).then(|| {
        view! {
            <PagerButtons label="Request pages" position=list.position("person waiting", "people waiting")
                previous=list.has_previous().then(|| Callback::new(move |()| page.set(current - 1)))
                next=list.has_next().then(|| Callback::new(move |()| page.set(current + 1)))/>
        }
    });
    view! {
        <ul class="request-list">
            {list.items.into_iter().map(|request| {
                let (accept, reject) = (request.clone(), request.clone());
                view! {
                    <li class="request">
                        <p class="request-name">{request.name.clone()}</p>
                        <p class="request-meta">{format!("{} · {} · asked {}", request.profession, request.email, request.requested)}</p>
                        {request.comment.clone().map(|comment| view! { <blockquote class="request-comment">{comment}</blockquote> })}
                        <div class="request-actions">
                            <button type="button" class="button button-primary" on:click=move |_| ask.run((accept.clone(), Decision::Accept))>"Accept Request"</button>
                            <button type="button" class="button" on:click=move |_| ask.run((reject.clone(), Decision::Reject))>"Reject Request"</button>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
        {pager}
    }
    .into_any()
}

/// The page the administrators' "Click Here to approve" link opens. Only its button approves.
#[component]
pub fn ApproveRequestPage() -> impl IntoView {
    view! {
        <PageTitle title="Approve Access Request"/>
        <RequireUser children=|_user: CurrentUser| view! { <ApprovalConfirmation/> }/>
    }
}

#[component]
fn ApprovalConfirmation() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.with(|q| q.get("token").unwrap_or_default()));
    let preview = load(move || token.get(), load_approval_preview);
    let action = ServerAction::<ApproveByLink>::new();
    let errors = action_error(action);
    view! {
        <section class="card">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    Ok(match preview.await {
                        Ok(preview) => {
                            let label = format!("Approve {}'s request to join {}", preview.request.name, preview.worksite.name);
                            let href = format!("/worksites/{}", preview.worksite.code);
                            view! {
                                <p>{format!("{}, {} would like to join {}.", preview.request.name, preview.request.email, preview.worksite.name)}</p>
                                <dl class="facts">
                                    <dt>"Profession"</dt><dd>{preview.request.profession.clone()}</dd>
                                    <dt>"Asked"</dt><dd>{preview.request.requested.clone()}</dd>
                                    {preview.request.comment.clone().map(|comment| view! { <dt>"Their message"</dt><dd>{comment}</dd> })}
                                </dl>
                                <WorksiteCard worksite=preview.worksite.clone()/>
                                {match preview.outcome {
                                    Some(outcome) => view! {
                                        <p class="alert alert-warning" role="status">{outcome}</p>
                                        <a class="button" href=href>"Open the worksite"</a>
                                    }.into_any(),
                                    None => view! {
                                        <Show when=move || action_succeeded(action).get() fallback=move || {
                                            let label = label.clone();
                                            view! {
                                                <ActionForm action=action attr:novalidate=true>
                                                    <FormError errors/>
                                                    <input type="hidden" name="token" value=move || token.get()/>
                                                    <SubmitButton label pending=action.pending()/>
                                                </ActionForm>
                                            }
                                        }>
                                            <Notice>"The request is approved: the person is now a member of the worksite."</Notice>
                                        </Show>
                                        <a class="button" href=href.clone()>"Open the worksite"</a>
                                    }.into_any(),
                                }}
                            }.into_any()
                        }
                        Err(error) => view! {
                            <p class="alert alert-error" role="alert">{error.to_string()}</p>
                            <p>"Only a Group / Site Administrator of the worksite can approve this request."</p>
                        }.into_any(),
                    })
                })}
            </Transition>
        </section>
    }
}

/// The person's own pending requests, each with "Withdraw Request".
#[component]
pub fn MyPendingRequests() -> impl IntoView {
    let withdraw = ServerAction::<WithdrawJoinRequest>::new();
    let requests = load(move || withdraw.version().get(), |_| my_join_requests());
    reload_on_live_updates(requests);
    view! {
        <Transition fallback=|| ()>
            {awaiting(move || async move {
                Ok(requests.await.ok().filter(|list| !list.is_empty()).map(|list| view! {
                    <section class="card" aria-labelledby="my-requests-heading">
                        <h2 id="my-requests-heading">"My Requests Awaiting Approval"</h2>
                        <ul class="worksite-list">
                            {list.into_iter().map(|request| view! {
                                <li>
                                    <WorksiteCard worksite=request.worksite>
                                        <p class="hint">{format!("Requested {}; waiting for its Group / Site Administrators.", request.requested)}</p>
                                        <ActionForm action=withdraw attr:class="inline-form">
                                            <input type="hidden" name="request_id" value=request.id/>
                                            <button type="submit" class="button">"Withdraw Request"</button>
                                        </ActionForm>
                                    </WorksiteCard>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }).into_any())
            })}
        </Transition>
    }
}
