//! The CareConnect team's profession catalogue: user types and Designation Orders.

use super::api::{list_professions, SaveProfession};
use super::types::{Profession, UserType};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

#[component]
pub fn ProfessionCataloguePage() -> impl IntoView {
    let professions = load(|| (), |_| list_professions());
    view! {
        <PageTitle title="Profession Catalogue"
            lead="Each profession's user type decides what its members do in the portal; only professions with a Ministry of Health Designation Order can be granted CareConnect access."/>
        <StaffOnly>
            <section class="card">
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {awaiting(move || async move {
                        Ok(professions.await.map(|list| view! {
                            <table class="table professions">
                                <thead><tr>
                                    <th scope="col">"Profession"</th>
                                    <th scope="col">"User Type"</th>
                                    <th scope="col">"Designation Order"</th>
                                    <th scope="col">"Licence Number"</th>
                                    <th scope="col">"Signs the HPCAA"</th>
                                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|p| view! {
                                        <tr>
                                            <td>{p.name.clone()}</td>
                                            <td>{p.user_type.label()}</td>
                                            <td>{yes_no(p.designation_order)}</td>
                                            <td>{yes_no(p.requires_licence)}</td>
                                            <td>{yes_no(p.requires_hpcaa)}</td>
                                            <td><a class="button button-small" href=format!("/staff/professions/{}", p.id)
                                                aria-label=format!("Edit {}", p.name)>"Edit"</a></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }).into_any())
                    })}
                </Transition>
                <a class="button button-primary" href="/staff/professions/new">"Add Profession"</a>
            </section>
        </StaffOnly>
    }
}

/// `/staff/professions/:id` (or `new`): one profession's form.
#[component]
pub fn EditProfessionPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let professions = load(|| (), |_| list_professions());
    view! {
        {move || view! { <PageTitle title=if id.get() == "new" { "Add Profession" } else { "Edit Profession" }/> }}
        <StaffOnly>
            <section class="card">
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {awaiting(move || async move {
                        let list = professions.await?;
                        let wanted = id.get();
                        let current = list.into_iter().find(|p| p.id.to_string() == wanted);
                        Ok::<_, crate::error::AppError>(if wanted != "new" && current.is_none() {
                            view! { <p class="alert alert-error" role="alert">"This profession does not exist."</p> }.into_any()
                        } else {
                            view! { <ProfessionEditor current/> }.into_any()
                        })
                    })}
                </Transition>
                <a class="button" href="/staff/professions">"Back to the Profession Catalogue"</a>
            </section>
        </StaffOnly>
    }
}

#[component]
fn ProfessionEditor(current: Option<Profession>) -> impl IntoView {
    let action = ServerAction::<SaveProfession>::new();
    let errors = action_error(action);
    let options = UserType::ALL
        .into_iter()
        .map(|t| (t.code().to_owned(), t.label().to_owned()))
        .collect();
    let id = current
        .as_ref()
        .map(|p| p.id.to_string())
        .unwrap_or_default();
    let flag = |pick: fn(&Profession) -> bool| current.as_ref().is_some_and(pick);
    let (designated, licence, hpcaa) = (
        flag(|p| p.designation_order),
        flag(|p| p.requires_licence),
        flag(|p| p.requires_hpcaa),
    );
    let name = current.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    let user_type = current
        .as_ref()
        .map(|p| p.user_type.code().to_owned())
        .unwrap_or_default();
    view! {
        <ActionForm action=action attr:novalidate=true>
            <FormError errors/>
            <input type="hidden" name="form[id]" value=id/>
            <Field label="Profession Name" name="form[name]" field="name" errors required=true
                value=name/>
            <SelectField label="User Type" name="form[user_type]" field="user_type" errors options
                placeholder="Choose the user type" required=true
                selected=user_type/>
            <p class="hint">"Changing the user type ends the sponsorships it no longer allows; both people are told."</p>
            <CheckboxField label="Approved Designation Order (may be granted CareConnect access)" name="form[designation_order]"
                field="designation_order" checked=designated/>
            <CheckboxField label="Members give a college licence number" name="form[requires_licence]"
                field="requires_licence" checked=licence/>
            <CheckboxField label="Members sign the HPCAA" name="form[requires_hpcaa]"
                field="requires_hpcaa" checked=hpcaa/>
            {move || action.value().get().and_then(Result::ok).map(|saved| view! {
                <Notice>{format!("{} is saved.", saved.name)}</Notice>
            })}
            <SubmitButton label="Save Profession" pending=action.pending()/>
        </ActionForm>
    }
}
