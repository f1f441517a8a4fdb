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
    let set_last_day = ServerAction::<SetSponsorshipLastDay>::new();
    let sponsorships = {
        let code = code.clone();
        load(
            move || {
                (
                    code.clone(),
                    change.version().get(),
                    set_last_day.version().get(),
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
    // A decline's reason or an acceptance's last day, typed in the confirmation (empty for each
    // new one).
    let reason = RwSignal::new(String::new());
    let last_day = RwSignal::new(String::new());
    Effect::new(move |_| {
        confirmation.subject.track();
        reason.set(String::new());
        last_day.set(String::new());
    });
    let errors = action_error(change);
    let setting: Confirming<SponsorshipListing> =
        confirming(set_last_day, |listing: &SponsorshipListing| {
            format!("The last day of {}'s sponsorship is saved.", listing.name)
        });
    let new_last_day = RwSignal::new(String::new());
    let set_errors = action_error(set_last_day);
    let ask_last_day = Callback::new(move |listing: SponsorshipListing| {
        new_last_day.set(
            listing
                .last_day
                .map(|day| day.to_string())
                .unwrap_or_default(),
        );
        setting.ask(listing);
    });
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
                    last_day: (sponsorship_change == SponsorshipChange::Accept)
                        .then(|| last_day.get_untracked()),
                });
            }
        })
    };
    let confirm_last_day = {
        let code = code.clone();
        Callback::new(move |()| {
            if let Some(listing) = setting.subject.get_untracked() {
                set_last_day.dispatch(SetSponsorshipLastDay {
                    code: code.clone(),
                    sponsorship_id: listing.id,
                    last_day: new_last_day.get_untracked(),
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
        {move || confirmation.done.get().or_else(|| setting.done.get()).map(|message| view! { <Notice>{message}</Notice> })}
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
                                    empty="You do not sponsor anyone at this worksite yet." confirmation set_last_day=ask_last_day/>
                                <h3>"Authorize an On-Behalf-Of User"</h3>
                                <ActionForm action=authorize attr:novalidate=true>
                                    <CandidateFields code candidates=sponsorships.candidates
                                        label="On-Behalf-Of User" placeholder="Choose an On-Behalf-Of user" button="Authorize User" with_last_day=true
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
                {(change == SponsorshipChange::Accept).then(|| view! {
                    <Field label="Last day (optional)" name="last_day" field="last_day" errors input_type="date" text=last_day
                        hint=LAST_DAY_HINT/>
                })}
            })}
        </ConfirmDialog>
        <ConfirmDialog open=setting.open on_confirm=confirm_last_day pending=set_last_day.pending() error=setting.refusal fallback_focus="sponsorship-heading">
            {move || setting.subject.get().map(|listing| view! {
                <p>"Please confirm the last day of " <strong>{format!("{}'s sponsorship", listing.name)}</strong>" (leave it empty for none). They are told."</p>
                <Field label="Last day" name="last_day" field="last_day" errors=set_errors input_type="date" text=new_last_day
                    hint=LAST_DAY_HINT/>
            })}
        </ConfirmDialog>
    }
}

/// What the last-day fields say.
const LAST_DAY_HINT: &str = "For a locum or temporary staff: access on your behalf stops after this day, and you are both reminded a week before. Leave it empty for no end.";

/// Sponsorships with the buttons that change them; each asks for a Confirmation first.
#[component]
fn SponsorshipList(
    items: Vec<SponsorshipListing>,
    changes: &'static [SponsorshipChange],
    empty: &'static str,
    confirmation: Asking,
    /// The Authorizer's "Set Last Day", where they may set one.
    #[prop(optional)]
    set_last_day: Option<Callback<SponsorshipListing>>,
) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="request-list">
            {items.into_iter().map(|listing| view! {
                <li class="request">
                    <p class="request-name">{listing.name.clone()}</p>
                    <p class="request-meta">{match listing.last_day {
                        Some(day) => format!("{} · since {} · until {}", listing.profession, listing.since, display_day(day)),
                        None => format!("{} · since {}", listing.profession, listing.since),
                    }}</p>
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
                        {set_last_day.map(|set| {
                            let listing = listing.clone();
                            let described = format!("Set Last Day of {}'s sponsorship", listing.name);
                            view! {
                                <button type="button" class="button" aria-label=described
                                    on:click=move |_| set.run(listing.clone())>"Set Last Day"</button>
                            }
                        })}
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
    /// Offers the sponsorship's last day (an Authorizer authorizing).
    #[prop(optional)]
    with_last_day: bool,
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
        {with_last_day.then(|| view! {
            <Field label="Last day (optional)" name="last_day" field="last_day" errors input_type="date" hint=LAST_DAY_HINT/>
        })}
        {notice}
        <SubmitButton label=button pending/>
    }
    .into_any()
}
