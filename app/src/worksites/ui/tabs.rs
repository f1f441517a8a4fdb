//! The worksite page's tab bar: links with their own URLs, marked up as ARIA tabs, operable with
//! the arrow keys, Home and End.

use crate::professions::types::UserType;
use crate::worksites::types::WorksiteDetails;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    ActiveMembers,
    InactiveMembers,
    Help,
    Edit,
    Invite,
    Sponsorships,
    MySponsors,
    MyOnBehalfOfUsers,
    Declaration,
}

impl Tab {
    const ALL: [Tab; 9] = [
        Tab::ActiveMembers,
        Tab::InactiveMembers,
        Tab::Help,
        Tab::Edit,
        Tab::Invite,
        Tab::Sponsorships,
        Tab::MySponsors,
        Tab::MyOnBehalfOfUsers,
        Tab::Declaration,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Tab::ActiveMembers => "active-members",
            Tab::InactiveMembers => "inactive-members",
            Tab::Help => "help",
            Tab::Edit => "edit",
            Tab::Invite => "invite",
            Tab::Sponsorships => "sponsorships",
            Tab::MySponsors => "my-sponsors",
            Tab::MyOnBehalfOfUsers => "my-on-behalf-of-users",
            Tab::Declaration => "privacy-declaration",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::ActiveMembers => "Active Members",
            Tab::InactiveMembers => "Inactive Members",
            Tab::Help => "Worksite Help",
            Tab::Edit => "Edit Worksite",
            Tab::Invite => "Invite Members",
            Tab::Sponsorships => "Sponsorships",
            Tab::MySponsors => "My Sponsors",
            Tab::MyOnBehalfOfUsers => "My On-behalf-Of Users",
            Tab::Declaration => "P&S Declaration",
        }
    }

    /// The member lists, which the page opens on, are in the main browser bundle; the other
    /// tabs are in a chunk of their own.
    pub fn is_member_list(self) -> bool {
        matches!(self, Tab::ActiveMembers | Tab::InactiveMembers)
    }

    pub fn from_slug(slug: &str) -> Option<Tab> {
        Self::ALL.into_iter().find(|tab| tab.slug() == slug)
    }

    /// Who sees the tab: administrators edit and invite; On-Behalf-Of users have sponsors,
    /// Authorizers have On-Behalf-Of users.
    pub fn visible_to(self, details: &WorksiteDetails) -> bool {
        match self {
            Tab::Edit | Tab::Invite => details.viewer_is_admin,
            Tab::MySponsors => details.viewer_user_type == UserType::OnBehalfOf,
            Tab::MyOnBehalfOfUsers => details.viewer_user_type == UserType::Authorizer,
            _ => true,
        }
    }

    pub fn visible(details: &WorksiteDetails) -> Vec<Tab> {
        Self::ALL
            .into_iter()
            .filter(|tab| tab.visible_to(details))
            .collect()
    }

    pub fn dom_id(self) -> String {
        format!("tab-{}", self.slug())
    }
}

/// The tab bar stays mounted while the URL moves between tabs, so the keyboard can move focus
/// straight to the next tab.
#[component]
pub fn TabBar(code: WorksiteId, tabs: Vec<Tab>, selected: Signal<Tab>) -> impl IntoView {
    let navigate = use_navigate();
    let hrefs: Vec<(Tab, String)> = tabs
        .iter()
        .map(|tab| (*tab, format!("/worksites/{code}/{}", tab.slug())))
        .collect();
    let keyboard = {
        let hrefs = hrefs.clone();
        move |event: leptos::ev::KeyboardEvent| {
            let count = hrefs.len();
            let current = selected.get_untracked();
            let current = hrefs
                .iter()
                .position(|(tab, _)| *tab == current)
                .unwrap_or(0);
            let next = match event.key().as_str() {
                "ArrowRight" => (current + 1) % count,
                "ArrowLeft" => (current + count - 1) % count,
                "Home" => 0,
                "End" => count - 1,
                _ => return,
            };
            event.prevent_default();
            let (tab, href) = &hrefs[next];
            focus(&tab.dom_id());
            navigate(href, Default::default());
        }
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Worksite sections" on:keydown=keyboard>
            {hrefs.into_iter().map(|(tab, href)| {
                let is_selected = move || selected.get() == tab;
                view! {
                    <a id=tab.dom_id() role="tab" href=href class="tab"
                        aria-selected=move || if is_selected() { "true" } else { "false" }
                        aria-controls="worksite-panel"
                        tabindex=move || if is_selected() { "0" } else { "-1" }>
                        {tab.label()}
                    </a>
                }
            }).collect_view()}
        </div>
    }
}

fn focus(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
