use super::WorksiteCard;
use crate::ui::{awaiting, debounced_input, load};
use crate::worksites::api::search_worksites;
use leptos::prelude::*;

/// Search registered worksites by address as the user types (debounced). The result list is a
/// live region, so screen readers hear how many worksites match.
#[component]
pub fn AddressSearch() -> impl IntoView {
    let (query, set_query) = signal(String::new());
    let results = load(
        move || query.get(),
        |query| async move {
            if query.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                search_worksites(query).await
            }
        },
    );
    view! {
        <div class="field">
            <label for="address-search">"Search by address"</label>
            <p class="hint" id="address-search-hint">"Type part of the street, unit, city or postal code, e.g. \"1234 Barclay\" or \"V6E 1H4\"."</p>
            <input id="address-search" type="search" autocomplete="off"
                aria-describedby="address-search-hint" aria-controls="address-results" on:input=debounced_input(set_query)/>
        </div>
        <div id="address-results" class="search-results" aria-live="polite">
            <Transition fallback=|| ()>
                {awaiting(move || async move {
                    let typed = query.get_untracked();
                    Ok(match results.await? {
                        list if list.is_empty() => (typed.trim().chars().count() >= 2).then(|| view! {
                            <p>"No registered worksite matches this address. You can register your worksite."</p>
                        }.into_any()),
                        list => Some(view! {
                            <p class="hint">{format!("{} matching worksite{}", list.len(), if list.len() == 1 { "" } else { "s" })}</p>
                            <ul class="worksite-list">
                                {list.into_iter().map(|worksite| {
                                    let href = format!("/join/{}", worksite.code);
                                    let label = format!("Request Access to {}", worksite.name);
                                    view! {
                                        <li><WorksiteCard worksite>
                                            <a class="button" href=href aria-label=label>"Request Access"</a>
                                        </WorksiteCard></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()),
                    }.into_any())
                })}
            </Transition>
        </div>
    }
}
