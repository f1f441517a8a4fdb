use crate::access::ui::CareConnectStandInPage;
use crate::accounts::ui::*;
use crate::applications::{
    staff_ui::{ApplicationQueuePage, ApplicationReviewPage},
    ui::{ApplicationsPage, EnrolmentFormPage},
};
use crate::audit::ui::AuditLogPage;
use crate::home::{BackOfficePage, HomePage};
use crate::invitations::ui::AcceptInvitationPage;
use crate::join_requests::ui::{ApproveRequestPage, JoinWorksitePage};
use crate::mail::mailbox::MailboxPage;
use crate::notifications::ui::{provide_live_updates, NotificationsPage};
use crate::privacy::ui::{HpcaaPage, ImportCompletionsPage};
use crate::professions::ui::{EditProfessionPage, ProfessionCataloguePage};
use crate::ui::{provide_session, Frame, PageTitle};
use crate::worksites::ui::{
    RegisterWorksitePage, StaffWorksitePage, StaffWorksitesPage, WorksiteAccessPage, WorksitePage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();
    provide_live_updates();
    // Lets end-to-end tests (and people debugging) see when the page has come alive.
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="portal" href="/pkg/portal.css"/>
        <Title text="my.CareConnect Enrolment Portal"/>
        <Router>
            <Frame>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/sign-in") view=SignInPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/account") view=ManageAccountPage/>
                    <Route path=path!("/account/verify-email") view=VerifyEmailPage/>
                    <Route path=path!("/account/reset-password") view=ResetPasswordPage/>
                    <Route path=path!("/account/lookup-username") view=LookUpUsernamePage/>
                    <Route path=path!("/worksites") view=WorksiteAccessPage/>
                    <Route path=path!("/worksites/register") view=RegisterWorksitePage/>
                    // One route for every tab, so moving between tabs keeps the page mounted.
                    <Route path=path!("/worksites/:code/:tab?") view=WorksitePage/>
                    <Route path=path!("/join/:code") view=JoinWorksitePage/>
                    <Route path=path!("/join-requests/approve") view=ApproveRequestPage/>
                    <Route path=path!("/invitations/accept") view=AcceptInvitationPage/>
                    <Route path=path!("/notifications") view=NotificationsPage/>
                    <Route path=path!("/applications") view=ApplicationsPage/>
                    <Route path=path!("/applications/careconnect") view=EnrolmentFormPage/>
                    <Route path=path!("/staff") view=BackOfficePage/>
                    <Route path=path!("/staff/applications") view=ApplicationQueuePage/>
                    <Route path=path!("/staff/applications/:id") view=ApplicationReviewPage/>
                    <Route path=path!("/staff/worksites") view=StaffWorksitesPage/>
                    <Route path=path!("/staff/worksites/:code") view=StaffWorksitePage/>
                    <Route path=path!("/staff/users") view=StaffUsersPage/>
                    <Route path=path!("/staff/users/:id") view=StaffUserPage/>
                    <Route path=path!("/staff/audit") view=AuditLogPage/>
                    <Route path=path!("/staff/professions") view=ProfessionCataloguePage/>
                    <Route path=path!("/staff/professions/:id") view=EditProfessionPage/>
                    <Route path=path!("/staff/course-completions") view=ImportCompletionsPage/>
                    <Route path=path!("/hpcaa") view=HpcaaPage/>
                    <Route path=path!("/dev/idp") view=DevIdentityProviderPage/>
                    <Route path=path!("/dev/mailbox") view=MailboxPage/>
                    <Route path=path!("/dev/careconnect") view=CareConnectStandInPage/>
                </Routes>
            </Frame>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle title="Page not found"/>
        <p>"There is no page at this address."</p>
        <a class="button" href="/">"Go to the home page"</a>
    }
}
