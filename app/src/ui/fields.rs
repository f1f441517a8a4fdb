use super::awaiting::error_alert;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::ServerFn;

/// The last error of a server action, for its form's fields and summary.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.get().and_then(Result::err))
}

/// Whether the last call of the action succeeded.
pub fn action_succeeded<S>(action: ServerAction<S>) -> Signal<bool>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || matches!(value.get(), Some(Ok(_))))
}

fn field_message(errors: Signal<Option<AppError>>, field: &'static str) -> Memo<Option<String>> {
    Memo::new(move |_| {
        errors.with(|error| {
            error
                .as_ref()
                .and_then(AppError::field_errors)
                .and_then(|fields| fields.get(field))
                .map(str::to_owned)
        })
    })
}

/// The ids that tie a field's label, hint and error message to its control.
struct FieldIds {
    id: String,
    error_id: String,
    hint_id: Option<String>,
    /// The hint (if any) and the error message, for `aria-describedby`.
    described_by: String,
}

impl FieldIds {
    fn new(field: &str, has_hint: bool) -> Self {
        let id = format!("field-{}", field.replace('_', "-"));
        let error_id = format!("{id}-error");
        let hint_id = has_hint.then(|| format!("{id}-hint"));
        let described_by = match &hint_id {
            Some(hint_id) => format!("{hint_id} {error_id}"),
            None => error_id.clone(),
        };
        Self {
            id,
            error_id,
            hint_id,
            described_by,
        }
    }
}

#[component]
fn FieldLabel(for_id: String, label: String, required: bool) -> impl IntoView {
    view! {
        <label for=for_id>
            {label}
            {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
        </label>
    }
}

/// Where a field's error appears; screen readers announce it when it changes.
#[component]
fn FieldMessage(id: String, message: Memo<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || message.get()}
        </p>
    }
}

/// Shows `text` in the field whenever it changes, when the field has one (a dialog's field, whose
/// caller reads and resets it). A form's field is left to the browser: binding its value would
/// wipe what someone typed before the page finished hydrating.
#[cfg(feature = "hydrate")]
fn keep_text<E>(node: NodeRef<E>, text: Option<RwSignal<String>>)
where
    E: leptos::html::ElementType + 'static,
    E::Output: AsRef<web_sys::Element> + wasm_bindgen::JsCast + Clone + 'static,
{
    if let Some(text) = text {
        Effect::new(move |_| {
            let wanted = text.get();
            if let Some(element) = node.get() {
                set_value(element.as_ref(), &wanted);
            }
        });
    }
}

#[cfg(not(feature = "hydrate"))]
fn keep_text<E>(_node: NodeRef<E>, _text: Option<RwSignal<String>>)
where
    E: leptos::html::ElementType + 'static,
{
}

#[cfg(feature = "hydrate")]
fn set_value(element: &web_sys::Element, text: &str) {
    use wasm_bindgen::JsCast;
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        if input.value() != text {
            input.set_value(text);
        }
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        if area.value() != text {
            area.set_value(text);
        }
    }
}

/// A labelled input whose error message sits right under it and is announced. The input keeps
/// what the user typed when the server refuses the form.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    /// The form parameter name, e.g. `form[email]`.
    #[prop(into)]
    name: String,
    /// The field's key in the server's error list.
    field: &'static str,
    errors: Signal<Option<AppError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<String>,
    /// Where the text lives when no form submits it (a dialog's field).
    #[prop(optional)]
    text: Option<RwSignal<String>>,
) -> impl IntoView {
    let FieldIds {
        id,
        error_id,
        hint_id,
        described_by,
    } = FieldIds::new(field, hint.is_some());
    let message = field_message(errors, field);
    let node = NodeRef::<leptos::html::Input>::new();
    keep_text(node, text);
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <FieldLabel for_id=id.clone() label required/>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                node_ref=node
                id=id
                type=input_type
                name=name
                value=value
                on:input=move |event| if let Some(text) = text { text.set(event_target_value(&event)) }
                autocomplete=autocomplete
                aria-required=required.then_some("true")
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
            />
            <FieldMessage id=error_id message/>
        </div>
    }
}

/// A labelled `<textarea>` with the same error handling as [`Field`].
#[component]
pub fn TextAreaField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    field: &'static str,
    errors: Signal<Option<AppError>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
    /// Where the text lives when no form submits it (a dialog's field).
    #[prop(optional)]
    text: Option<RwSignal<String>>,
) -> impl IntoView {
    let FieldIds {
        id,
        error_id,
        hint_id,
        described_by,
    } = FieldIds::new(field, hint.is_some());
    let message = field_message(errors, field);
    let node = NodeRef::<leptos::html::Textarea>::new();
    keep_text(node, text);
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <FieldLabel for_id=id.clone() label required=false/>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <textarea node_ref=node id=id name=name rows=rows maxlength=maxlength
                on:input=move |event| if let Some(text) = text { text.set(event_target_value(&event)) }
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by></textarea>
            <FieldMessage id=error_id message/>
        </div>
    }
}

/// A labelled `<select>` with the same error handling as [`Field`].
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    field: &'static str,
    errors: Signal<Option<AppError>>,
    /// (value, label) pairs, shown after the placeholder.
    options: Vec<(String, String)>,
    #[prop(into)] placeholder: String,
    #[prop(optional)] required: bool,
    /// The option chosen when the form opens.
    #[prop(optional, into)]
    selected: Option<String>,
) -> impl IntoView {
    let FieldIds { id, error_id, .. } = FieldIds::new(field, false);
    let message = field_message(errors, field);
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <FieldLabel for_id=id.clone() label required/>
            <select
                id=id
                name=name
                aria-required=required.then_some("true")
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
            >
                <option value="">{placeholder}</option>
                {options
                    .into_iter()
                    .map(|(value, label)| {
                        let chosen = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=chosen>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=error_id message/>
        </div>
    }
}

/// A labelled checkbox; the form sends `name=on` when it is ticked and nothing otherwise.
#[component]
pub fn CheckboxField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    field: &'static str,
    #[prop(optional)] checked: bool,
    /// The form's errors, when the checkbox must be ticked.
    #[prop(optional, into)]
    errors: Option<Signal<Option<AppError>>>,
) -> impl IntoView {
    let FieldIds { id, error_id, .. } = FieldIds::new(field, false);
    let message = field_message(errors.unwrap_or_else(|| Signal::stored(None)), field);
    view! {
        <div class="field field-checkbox" class:field-invalid=move || message.get().is_some()>
            <input id=id.clone() type="checkbox" name=name checked=checked
                aria-invalid=move || if message.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()/>
            <label for=id>{label}</label>
            <FieldMessage id=error_id message/>
        </div>
    }
}

/// A required choice among a few options, as radio buttons in a fieldset whose legend asks the
/// question; the error message sits under the options.
#[component]
pub fn RadioField(
    #[prop(into)] legend: String,
    #[prop(into)] name: String,
    field: &'static str,
    errors: Signal<Option<AppError>>,
    /// (value, label) pairs.
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional, into)] selected: Option<String>,
) -> impl IntoView {
    let FieldIds { id, error_id, .. } = FieldIds::new(field, false);
    let message = field_message(errors, field);
    let described_by = error_id.clone();
    view! {
        <fieldset class="fieldset field-radio" class:field-invalid=move || message.get().is_some()
            aria-describedby=described_by>
            <legend>{legend}<span class="required" aria-hidden="true">" *"</span></legend>
            {options.into_iter().map(|(value, label)| {
                let option_id = format!("{id}-{value}");
                let chosen = selected.as_deref() == Some(value);
                view! {
                    <div class="field-checkbox">
                        <input type="radio" id=option_id.clone() name=name.clone() value=value checked=chosen
                            aria-invalid=move || if message.get().is_some() { "true" } else { "false" }/>
                        <label for=option_id>{label}</label>
                    </div>
                }
            }).collect_view()}
            <FieldMessage id=error_id message/>
        </fieldset>
    }
}

/// The form's overall message when the server refused it for a reason not tied to one field
/// (field messages sit next to their fields).
#[component]
pub fn FormError(errors: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div class="form-error-slot" aria-live="assertive">
            {move || {
                errors
                    .get()
                    .filter(|error| error.field_errors().is_none())
                    .map(|error| error_alert(&error))
            }}
        </div>
    }
}

#[component]
pub fn SubmitButton(#[prop(into)] label: Signal<String>, pending: Memo<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="button button-primary" aria-disabled=move || pending.get().to_string()>
            {label}
        </button>
    }
}
