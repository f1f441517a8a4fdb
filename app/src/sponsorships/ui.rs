//! The "Sponsorships", "My Sponsors" and "My On-behalf-Of Users" tabs of the worksite page. Each
//! shows only the viewer's own sponsorships.

use super::api::*;
use super::types::*;
use crate::error::AppError;
use crate::notifications::ui::reload_on_live_updates;
use crate::professions::types::UserType;
use crate::ui::*;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;

/// Which of the three sponsorship tabs is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SponsorshipTab {
    Sponsorships,
    MySponsors,
    MyOnBehalfOfUsers,
}

type Asking = Confirming<(SponsorshipListing, SponsorshipChange)>;

#[component]
pub fn SponsorshipPanel(code: WorksiteId, tab: SponsorshipTab) -> impl IntoView {
    let change = ServerAction::<ChangeSponsorship>::new();
    let ask_sponsor = ServerAction::<RequestSponsorship>::new();
    let authorize = ServerAction::<AuthorizeOnBehalfOfUser>::new();
    let sponsorships = {
        let code = code.clone();
        load(
            move || {
                (
                    code.clone(),
                    change.version().get(),
                    ask_sponsor.version().get(),
                    authorize.version().get(),
                )
            },
            |(code, ..)| load_sponsorships(code),
        )
    };
    reload_on_live_updates(sponsorships);
    let confirmation: Asking = confirming(
        change,
        |(listing, change): &(SponsorshipListing, SponsorshipChange)| change.done(&listing.name),
    );
    // A decline's reason, typed in the confirmation (empty for each new one); the requester
    // reads it.
    let reason = RwSignal::new(String::new());
    Effect::new(move |_| {
        confirmation.subject.track();
        reason.set(String::new());
    });
    let errors = action_error(change);
    let confirm = {
        let code = code.clone();
        Callback::new(move |()| {
            if let Some((listing, sponsorship_change)) = confirmation.subject.get_untracked() {
                change.dispatch(ChangeSponsorship {
                    code: code.clone(),
                    sponsorship_id: listing.id,
                    change: sponsorship_change,
                    reason: (sponsorship_change == SponsorshipChange::Decline)
                        .then(|| reason.get_untracked()),
                });
            }
        })
    };
    let code = StoredValue::new(code);
    view! {
        <h2 id="sponsorship-heading" tabindex="-1">{match tab {
            SponsorshipTab::Sponsorships => "Sponsorships",
            SponsorshipTab::MySponsors => "My Sponsors",
            SponsorshipTab::MyOnBehalfOfUsers => "My On-behalf-Of Users",
        }}</h2>
        {move || confirmation.done.get().map(|message| view! { <Notice>{message}</Notice> })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                let sponsorships = sponsorships.await?;
                let code = code.get_value();
                Ok(match (tab, sponsorships.viewer_user_type) {
                            (SponsorshipTab::Sponsorships, UserType::Authorizer) => view! {
                                <p>"On-Behalf-Of users of this worksite (e.g. MOAs) ask you to sponsor their CareConnect access: once you accept, they see CareConnect as you would."</p>
                                <h3>"Sponsorship Requests"</h3>
                                <SponsorshipList items=sponsorships.pending changes=&[SponsorshipChange::Accept, SponsorshipChange::Decline]
                                    empty="No one is waiting for your sponsorship." confirmation/>
                                <p><a href=format!("/worksites/{code}/my-on-behalf-of-users")>"My On-behalf-Of Users"</a>" lists the people you sponsor; you can also authorize an On-Behalf-Of member there directly."</p>
                            }.into_any(),
                            (SponsorshipTab::Sponsorships, UserType::OnBehalfOf) => view! {
                                <p>"As an On-Behalf-Of user you need an Authorizer (a physician or nurse practitioner of this worksite) to sponsor your CareConnect access. You then see CareConnect on their behalf."</p>
                                <h3>"My Sponsorship Requests"</h3>
                                <SponsorshipList items=sponsorships.pending changes=&[SponsorshipChange::Withdraw]
                                    empty="You have no requests waiting for an Authorizer." confirmation/>
                                <p>"Ask an Authorizer for sponsorship on the " <a href=format!("/worksites/{code}/my-sponsors")>"My Sponsors"</a> " tab."</p>
                            }.into_any(),
                            (SponsorshipTab::Sponsorships, _) => view! {
                                <p>"As an Independent user you request CareConnect access yourself: you neither sponsor others nor need a sponsor."</p>
                                <p>"Authorizers (physicians and nurse practitioners) sponsor On-Behalf-Of users (support staff such as MOAs), who then see CareConnect as their Authorizer would."</p>
                            }.into_any(),
                            (SponsorshipTab::MySponsors, UserType::OnBehalfOf) => view! {
                                <SponsorshipList items=sponsorships.active changes=&[SponsorshipChange::End]
                                    empty="No Authorizer sponsors you at this worksite yet." confirmation/>
                                {(!sponsorships.pending.is_empty()).then(|| view! {
                                    <h3>"Awaiting a Decision"</h3>
                                    <SponsorshipList items=sponsorships.pending changes=&[SponsorshipChange::Withdraw] empty="" confirmation/>
                                })}
                                <h3>"Request Sponsorship"</h3>
                                <ActionForm action=ask_sponsor attr:novalidate=true>
                                    <CandidateFields code candidates=sponsorships.candidates
                                        label="Authorizer" placeholder="Choose an Authorizer" button="Request Sponsorship"
                                        none="No other Authorizer of this worksite is available to ask."
                                        errors=action_error(ask_sponsor) pending=ask_sponsor.pending()
                                        sent=Signal::derive(move || ask_sponsor.value().get().and_then(Result::ok)
                                            .map(|name| format!("Your request was sent to {name}. We will email you once they decide.")))/>
                                </ActionForm>
                            }.into_any(),
                            (SponsorshipTab::MyOnBehalfOfUsers, UserType::Authorizer) => view! {
                                <SponsorshipList items=sponsorships.active changes=&[SponsorshipChange::Revoke]
                                    empty="You do not sponsor anyone at this worksite yet." confirmation/>
                                <h3>"Authorize an On-Behalf-Of User"</h3>
                                <ActionForm action=authorize attr:novalidate=true>
                                    <CandidateFields code candidates=sponsorships.candidates
                                        label="On-Behalf-Of User" placeholder="Choose an On-Behalf-Of user" button="Authorize User"
                                        none="Every On-Behalf-Of user of this worksite already has your sponsorship or has asked for it."
                                        errors=action_error(authorize) pending=authorize.pending()
                                        sent=Signal::derive(move || authorize.value().get().and_then(Result::ok)
                                            .map(|name| format!("You now sponsor {name}.")))/>
                                </ActionForm>
                            }.into_any(),
                            _ => view! { <p>"This tab is for a different user type."</p> }.into_any(),
                })
            })}
        </Transition>
        <ConfirmDialog open=confirmation.open on_confirm=confirm pending=change.pending() error=confirmation.refusal fallback_focus="sponsorship-heading">
            {move || confirmation.subject.get().map(|(listing, change)| view! {
                <p>"Please confirm you would like to " <strong>{change.confirmation(&listing.name)}</strong></p>
                {(change == SponsorshipChange::Decline).then(|| view! {
                    <TextAreaField label="Reason (optional)" name="reason" field="reason" errors text=reason rows=3
                        hint="The person reads it in the email and on My.CareConnect." maxlength=crate::text::REASON_MAX/>
                })}
            })}
        </ConfirmDialog>
    }
}

/// Sponsorships with the buttons that change them; each asks for a Confirmation first.
#[component]
fn SponsorshipList(
    items: Vec<SponsorshipListing>,
    changes: &'static [SponsorshipChange],
    empty: &'static str,
    confirmation: Asking,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="request-list">
            {items.into_iter().map(|listing| view! {
                <li class="request">
                    <p class="request-name">{listing.name.clone()}</p>
                    <p class="request-meta">{format!("{} · since {}", listing.profession, listing.since)}</p>
                    <div class="request-actions">
                        {changes.iter().map(|change| {
                            let (change, listing) = (*change, listing.clone());
                            let described = format!("{} {}", change.label(), listing.name);
                            let primary = change == SponsorshipChange::Accept;
                            view! {
                                <button type="button" class="button" class:button-primary=primary aria-label=described
                                    on:click=move |_| confirmation.ask((listing.clone(), change))>
                                    {change.label()}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The choice of a member to sponsor, or to ask for sponsorship, inside the caller's form.
#[component]
fn CandidateFields(
    code: WorksiteId,
    candidates: Vec<SponsorshipCandidate>,
    label: &'static str,
    placeholder: &'static str,
    button: &'static str,
    none: &'static str,
    errors: Signal<Option<AppError>>,
    /// What to announce once sent.
    sent: Signal<Option<String>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let notice = move || {
        sent.get()
            .map(|message| view! { <Notice>{message}</Notice> })
    };
    if candidates.is_empty() {
        return view! { {notice} <p>{none}</p> }.into_any();
    }
    let options = candidates
        .into_iter()
        .map(|c| {
            (
                c.membership_id.to_string(),
                format!("{} ({})", c.name, c.profession),
            )
        })
        .collect();
    view! {
        <FormError errors/>
        <input type="hidden" name="code" value=code.to_string()/>
        <SelectField label name="membership_id" field="membership_id" errors options placeholder required=true/>
        {notice}
        <SubmitButton label=button pending/>
    }
    .into_any()
}
