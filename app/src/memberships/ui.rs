//! The Active and Inactive Members tabs: grouped, searchable, paged lists; "Manage User" with
//! the guide's "Confirmation" dialog for each change.

use super::api::{worksite_members, ChangeMember};
use super::types::{MemberChange, MemberCursor, MemberListing, MemberPage, MembershipId};
use crate::notifications::ui::reload_on_live_updates;
use crate::professions::types::UserType;
use crate::ui::*;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;

const GROUPS: [(UserType, &str); 3] = [
    (UserType::Authorizer, "Authorizers"),
    (UserType::OnBehalfOf, "On-behalf-Of Users"),
    (UserType::Independent, "Independent Users"),
];

/// A change waiting for its confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pending {
    member: MemberListing,
    change: MemberChange,
}

#[component]
pub fn MemberList(code: WorksiteId, active: bool) -> impl IntoView {
    let (search, set_search) = signal(String::new());
    // The page's number (for the reader) and where it starts (for the server).
    let page = RwSignal::new((1u64, MemberCursor::First));
    Effect::new(move |_| {
        search.track();
        page.set((1, MemberCursor::First));
    });
    let action = ServerAction::<ChangeMember>::new();
    let members = {
        let code = code.clone();
        load(
            move || {
                (
                    code.clone(),
                    search.get(),
                    page.get(),
                    action.version().get(),
                )
            },
            move |(code, search, (_, cursor), _)| worksite_members(code, active, search, cursor),
        )
    };
    reload_on_live_updates(members);
    // Which member's "Manage User" is open; kept here so it survives the list reloading.
    let managing = RwSignal::new(None::<MembershipId>);
    let confirmation = confirming(action, |p: &Pending| p.change.done(&p.member.name));
    let ask = Callback::new(move |request: Pending| confirmation.ask(request));
    let confirm = {
        let code = code.clone();
        Callback::new(move |()| {
            if let Some(Pending { member, change }) = confirmation.subject.get_untracked() {
                action.dispatch(ChangeMember {
                    code: code.clone(),
                    membership_id: member.membership_id,
                    change,
                });
            }
        })
    };
    let heading = if active {
        "Active Members"
    } else {
        "Inactive Members"
    };
    let search_id = if active {
        "active-member-search"
    } else {
        "inactive-member-search"
    };
    view! {
        <h2>{heading}</h2>
        <div class="field member-search">
            <label for=search_id>"Search members by name"</label>
            <input id=search_id type="search" autocomplete="off" on:input=debounced_input(set_search)/>
        </div>
        <div id="member-notice" tabindex="-1">
            {move || confirmation.done.get().map(|message| view! { <Notice>{message}</Notice> })}
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                let list = members.await?;
                Ok(view! { <MemberGroups list ask page managing/> }.into_any())
            })}
        </Transition>
        <ConfirmDialog open=confirmation.open on_confirm=confirm pending=action.pending() error=confirmation.refusal fallback_focus="member-notice">
            {move || confirmation.subject.get().map(|Pending { member, change }| {
                let (question, meaning) = change.confirmation(&member.name);
                view! {
                    <p>"Please confirm you would like to " <strong>{question}</strong></p>
                    <p>{meaning}</p>
                }
            })}
        </ConfirmDialog>
    }
}

#[component]
fn MemberGroups(
    list: MemberPage,
    ask: Callback<Pending>,
    page: RwSignal<(u64, MemberCursor)>,
    managing: RwSignal<Option<MembershipId>>,
) -> impl IntoView {
    if list.members.is_empty() {
        return view! { <p>"No members."</p> }.into_any();
    }
    let admin = list.viewer_is_admin;
    let current = page.get_untracked().0;
    let count = list.count_label();
    let position = match list.page_count() {
        Some(pages) => format!("Page {current} of {pages} ({count})"),
        None => format!("Page {current} ({count})"),
    };
    let (previous, next) = (list.previous(), list.next());
    view! {
        {GROUPS.into_iter().map(|(user_type, heading)| {
            let group: Vec<MemberListing> = list.members.iter().filter(|m| m.user_type == user_type).cloned().collect();
            (!group.is_empty()).then(|| view! {
                <h3>{heading}</h3>
                <ul class="member-list">
                    {group.into_iter().map(|member| view! { <MemberRow member admin ask managing/> }).collect_view()}
                </ul>
            })
        }).collect_view()}
        {(list.has_previous || list.has_next).then(|| view! {
            <PagerButtons label="Member pages" position
                previous=list.has_previous.then(|| Callback::new(move |()| page.set((current.saturating_sub(1).max(1), previous))))
                next=list.has_next.then(|| Callback::new(move |()| page.set((current + 1, next))))/>
        })}
    }
    .into_any()
}

#[component]
fn MemberRow(
    member: MemberListing,
    admin: bool,
    ask: Callback<Pending>,
    managing: RwSignal<Option<MembershipId>>,
) -> impl IntoView {
    let id = member.membership_id;
    let expanded = move || managing.get() == Some(id);
    let actions_id = format!("manage-{}", member.membership_id);
    let button = move |member: MemberListing, change: MemberChange| {
        view! {
            <button type="button" class="button button-small"
                on:click=move |_| ask.run(Pending { member: member.clone(), change })>
                {change.label()}
            </button>
        }
    };
    let controls = match (admin, member.active, member.is_admin) {
        (false, _, _) => None,
        (true, false, _) => Some(button(member.clone(), MemberChange::SetActive).into_any()),
        (true, true, is_admin) => {
            let first = if is_admin {
                MemberChange::RemoveAdmin
            } else {
                MemberChange::PromoteToAdmin
            };
            Some(view! {
                <button type="button" class="button button-small" aria-expanded=move || expanded().to_string()
                    aria-controls=actions_id.clone() on:click=move |_| managing.update(|open| *open = if *open == Some(id) { None } else { Some(id) })>
                    "Manage User"
                </button>
                <div id=actions_id.clone() class="member-actions" hidden=move || !expanded()>
                    {button(member.clone(), first)}
                    {button(member.clone(), MemberChange::SetInactive)}
                </div>
            }.into_any())
        }
    };
    view! {
        <li class="member">
            <span class="member-name">{member.name.clone()}{member.is_viewer.then_some(" (you)")}</span>
            <span class="member-profession">{member.profession.clone()}</span>
            {member.is_admin.then(|| view! { <span class="badge">"Group / Site Administrator"</span> })}
            {controls}
        </li>
    }
}
