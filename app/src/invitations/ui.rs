//! "Invite Members" (with "Invites Awaiting Response"), the emailed link's page, and the
//! invitations on the invited person's home page.

use super::api::*;
use super::types::{InvitationStanding, InvitationView};
use crate::accounts::types::SessionInfo;
use crate::notifications::ui::reload_on_live_updates;
use crate::ui::*;
use crate::worksites::types::WorksiteId;
use crate::worksites::ui::WorksiteCard;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The "Invite Members" tab.
#[component]
pub fn InviteMembers(code: WorksiteId) -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let errors = action_error(invite);
    // Zero-based; a new invitation is shown on the first page, where the newest are.
    let page = RwSignal::new(0u64);
    Effect::watch(
        move || invite.version().get(),
        move |_, _, _| {
            if page.get_untracked() != 0 {
                page.set(0);
            }
        },
        false,
    );
    let invitations = {
        let code = code.clone();
        load(
            move || {
                (
                    code.clone(),
                    page.get(),
                    invite.version().get(),
                    resend.version().get(),
                    revoke.version().get(),
                )
            },
            |(code, page, _, _, _)| awaiting_invitations(code, page),
        )
    };
    let row_error = Signal::derive(move || {
        resend
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err))
    });
    let code_for_rows = code.clone();
    view! {
        <h2>"Add Member To Worksite"</h2>
        <ActionForm action=invite attr:novalidate=true>
            <FormError errors/>
            <input type="hidden" name="code" value=code.to_string()/>
            <Field label="Email Address" name="email" field="email" errors input_type="email" autocomplete="off" required=true
                hint="Ask your team member to register with this address: only they can accept the invitation."/>
            {move || invite.value().get().and_then(Result::ok).map(|email| view! {
                <Notice>"Invite sent to: " {email}</Notice>
            })}
            <SubmitButton label="Invite User" pending=invite.pending()/>
        </ActionForm>
        <h3>"Invites Awaiting Response"</h3>
        <div aria-live="assertive">
            {move || row_error.get().map(|error| error_alert(&error))}
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || {
                let code = code_for_rows.clone();
                async move {
                let list = invitations.await?;
                if list.items.is_empty() {
                    return Ok(view! { <p>"No invitations are awaiting a response."</p> }.into_any());
                }
                let current = list.page;
                let pager = (list.page_count() > 1).then(|| view! {
                    <PagerButtons label="Invitation pages" position=list.position("invitation awaiting a response", "invitations awaiting a response")
                        previous=list.has_previous().then(|| Callback::new(move |()| page.set(current - 1)))
                        next=list.has_next().then(|| Callback::new(move |()| page.set(current + 1)))/>
                });
                Ok(view! {
                        <table class="table invitations">
                            <thead><tr>
                                <th scope="col">"Email Address Used"</th>
                                <th scope="col">"Invited On"</th>
                                <th scope="col">"Number of eMails sent"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Delivery"</th>
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr></thead>
                            <tbody>
                                {list.items.into_iter().map(|row| {
                                    let (resend_code, revoke_code) = (code.to_string(), code.to_string());
                                    let (id, sent) = (row.id, row.emails_sent);
                                    let resend_label = format!("Resend the invitation to {}", row.email);
                                    let revoke_label = format!("Revoke the invitation to {}", row.email);
                                    let status = if row.expired { format!("Expired {}", row.expires) } else { format!("Open until {}", row.expires) };
                                    let delivery = row.delivery.as_ref().map(|delivery| delivery.describe()).unwrap_or_default();
                                    view! {
                                        <tr>
                                            <td>{row.email}</td>
                                            <td>{row.invited_on}</td>
                                            <td>{sent}</td>
                                            <td>{status}</td>
                                            <td class="delivery">{delivery}</td>
                                            <td class="row-actions">
                                                <ActionForm action=resend attr:class="inline-form">
                                                    <input type="hidden" name="code" value=resend_code/>
                                                    <input type="hidden" name="invitation_id" value=id/>
                                                    <input type="hidden" name="emails_sent" value=sent/>
                                                    <button type="submit" class="button button-small" aria-label=resend_label>"Resend"</button>
                                                </ActionForm>
                                                <ActionForm action=revoke attr:class="inline-form">
                                                    <input type="hidden" name="code" value=revoke_code/>
                                                    <input type="hidden" name="invitation_id" value=id/>
                                                    <button type="submit" class="button button-small" aria-label=revoke_label>"Revoke"</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        {pager}
                }.into_any())
            }})}
        </Transition>
    }
}

/// The page the invitation email's link opens. Only its button accepts.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    view! {
        <PageTitle title="Worksite Invitation"/>
        <InvitationLink/>
    }
}

#[component]
fn InvitationLink() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.with(|q| q.get("token").unwrap_or_default()));
    let standing = load(move || token.get(), load_invitation_standing);
    let action = ServerAction::<AcceptInvitation>::new();
    let errors = action_error(action);
    view! {
        <section class="card">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    Ok(match standing.await {
                        Ok(InvitationStanding::Open(view)) => view! {
                            <InvitationSummary view/>
                            <Show when=move || action_succeeded(action).get() fallback=move || view! {
                                <ActionForm action=action attr:novalidate=true>
                                    <FormError errors/>
                                    <input type="hidden" name="token" value=move || token.get()/>
                                    <SubmitButton label="Accept Invitation" pending=action.pending()/>
                                </ActionForm>
                            }>
                                {move || action.value().get().and_then(Result::ok).map(|worksite| {
                                    let href = format!("/worksites/{}", worksite.code);
                                    view! {
                                        <Notice>{format!("You are now a member of {}.", worksite.name)}</Notice>
                                        <a class="button button-primary" href=href>"Update / Review Worksite"</a>
                                    }
                                })}
                            </Show>
                        }.into_any(),
                        Ok(InvitationStanding::SignInFirst(view)) => {
                            let email = view.email.clone();
                            view! {
                                <InvitationSummary view/>
                                <p>"Please sign in to accept this invitation. If you have not registered yet, sign in with your BC Services Card and register with the address the invitation was sent to, "
                                    <strong>{email}</strong>
                                    ". Once you have verified that address, the invitation waits for you on your home page."</p>
                                <a class="button button-primary" href=sign_in_here()>"Sign in"</a>
                            }.into_any()
                        }
                        Ok(InvitationStanding::Closed(reason)) => view! {
                            <p class="alert alert-warning" role="status">{reason}</p>
                            <a class="button" href="/">"Go to the home page"</a>
                        }.into_any(),
                        Err(error) => view! {
                            <p class="alert alert-error" role="alert">{error.to_string()}</p>
                        }.into_any(),
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn InvitationSummary(view: InvitationView) -> impl IntoView {
    view! {
        <p>{format!("{} has invited {} to join the {} worksite.", view.inviter, view.email, view.worksite.name)}</p>
        <WorksiteCard worksite=view.worksite/>
        <p class="hint">{format!("The invitation can be accepted until {}.", view.expires)}</p>
    }
}

/// The invitations waiting for the signed-in person, on their home page.
#[component]
pub fn MyInvitations() -> impl IntoView {
    let session = use_session();
    let accept = ServerAction::<AcceptMyInvitation>::new();
    let invitations = load(move || accept.version().get(), |_| my_invitations());
    reload_on_live_updates(invitations);
    let errors = action_error(accept);
    view! {
        <Transition fallback=|| ()>
            {awaiting(move || async move {
                let verified = matches!(session.await, Ok(SessionInfo { user: Some(ref user), .. }) if user.email.is_some());
                let list = invitations.await.ok().filter(|list| verified && !list.is_empty());
                Ok(view! {
                    {move || accept.value().get().and_then(Result::ok).map(|worksite| view! {
                        <Notice>{format!("You are now a member of {}.", worksite.name)}</Notice>
                    })}
                    {list.map(|list| view! {
                        <section class="card" aria-labelledby="invitations-heading">
                            <h2 id="invitations-heading">"Worksite Invitations"</h2>
                            <FormError errors/>
                            <ul class="worksite-list">
                                {list.into_iter().map(|invitation| view! {
                                    <li>
                                        <WorksiteCard worksite=invitation.worksite.clone()>
                                            <p>{format!("{} has invited you to join this worksite.", invitation.inviter)}</p>
                                            <PostForm action=accept attr:class="inline-form"
                                                input=|fields| Some(AcceptMyInvitation { invitation_id: fields.parsed("invitation_id")? })>
                                                <input type="hidden" name="invitation_id" value=invitation.id/>
                                                <button type="submit" class="button button-primary">"Accept Invitation"</button>
                                            </PostForm>
                                        </WorksiteCard>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                }.into_any())
            })}
        </Transition>
    }
}
