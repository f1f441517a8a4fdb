use crate::ui::{awaiting, debounced_input, load};
use crate::worksites::{api::suggest_addresses, types::AddressSuggestion};
use leptos::prelude::*;

/// "Find the address": suggestions while typing; choosing one fills the address fields of the
/// registration form (which stay editable).
#[component]
pub fn AddressFinder() -> impl IntoView {
    let (query, set_query) = signal(String::new());
    let suggestions = load(
        move || query.get(),
        |query| async move {
            if query.trim().chars().count() < 3 {
                Ok(Vec::new())
            } else {
                suggest_addresses(query).await
            }
        },
    );
    // Enter picks nothing here; it must not submit the registration form either.
    let keep_form = |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" {
            event.prevent_default();
        }
    };
    view! {
        <div class="field address-finder">
            <label for="address-finder">"Find the address"</label>
            <p class="hint" id="address-finder-hint">
                "Start typing the street address, then choose it to fill in the fields below, or type them yourself."
            </p>
            <input id="address-finder" type="search" autocomplete="off" aria-describedby="address-finder-hint"
                aria-controls="address-suggestions" on:input=debounced_input(set_query) on:keydown=keep_form/>
        </div>
        <div id="address-suggestions" aria-live="polite">
            <Transition fallback=|| ()>
                {awaiting(move || async move {
                    Ok(suggestions.await.ok().filter(|list| !list.is_empty()).map(|list| view! {
                        <ul class="suggestions" aria-label="Suggested addresses">
                            {list.into_iter().map(|suggestion| {
                                let label = suggestion.address().display();
                                view! {
                                    <li>
                                        <button type="button" class="button-link"
                                            on:click=move |_| fill_address(&suggestion)>{label}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }).into_any())
                })}
            </Transition>
        </div>
    }
}

fn fill_address(suggestion: &AddressSuggestion) {
    let values = [
        ("field-unit", suggestion.unit.clone().unwrap_or_default()),
        ("field-street", suggestion.street.clone()),
        ("field-city", suggestion.city.clone()),
        ("field-postal-code", suggestion.postal_code.clone()),
    ];
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        for (id, value) in &values {
            if let Some(input) = document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                input.set_value(value);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = values;
}
