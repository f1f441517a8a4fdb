use leptos::prelude::*;
use std::time::Duration;

/// An `on:input` handler that copies the input's value into `target` once typing pauses for
/// a quarter of a second, so search-as-you-type asks the server once per pause, not per key.
pub fn debounced_input(
    target: WriteSignal<String>,
) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    move |event| {
        let value = event_target_value(&event);
        if let Some(timer) = pending.get_value() {
            timer.clear();
        }
        let timer =
            set_timeout_with_handle(move || target.set(value), Duration::from_millis(250)).ok();
        pending.set_value(timer);
    }
}
