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
use crate::mail::ui::EmailDeliveryLogPage;
use crate::notifications::ui::{provide_live_updates, NotificationsPage};
use crate::privacy::ui::{HpcaaPage, ImportCompletionsPage};
use crate::professions::ui::{EditProfessionPage, ProfessionCataloguePage};
#[cfg(feature = "hydrate")]
use crate::ui::Hydrated;
use crate::ui::{provide_session, Frame, PageTitle};
use crate::worksites::ui::{
    RegisterWorksitePage, StaffWorksitePage, StaffWorksitesPage, WorksiteAccessPage, WorksitePage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, ChooseView, Lazy, LazyRoute,
};

/// The home page and the worksite page, where people spend their days, are in the main browser
/// bundle; the other pages come in four chunks (cargo-leptos `--split`), each fetched when one of
/// its pages is first shown, so a first visit does not download the back office, the development
/// tools or the one-off flows. The server names a lazily loaded page's chunk in a preload link,
/// so the browser fetches it beside the main bundle.
///
/// Measured with `bench/client.mjs` (the figures are in the commit that grouped the pages): a
/// chunk per page made a first visit slower (the splitter shares code between pages through
/// hundreds of small chunks, each its own request); splitting the home and worksite pages off too
/// made the bundle they load larger than before.
macro_rules! lazy_pages {
    ($($chunk:ident { $($variant:ident => $page:ident,)* })*) => {
        $(
            /// The chunk's pages: in the browser, each loads the chunk before it renders. A
            /// page's `load` shares its loader, so once it has run the page renders at once.
            mod $chunk {
                $(
                    #[allow(non_snake_case)]
                    pub mod $page {
                        use leptos::prelude::{AnyView, IntoAny};

                        #[cfg_attr(
                            feature = "hydrate",
                            leptos::wasm_split::wasm_split(
                                $chunk,
                                wasm_split_path = ::leptos::wasm_split,
                                preload(load)
                            )
                        )]
                        pub fn $page() -> AnyView {
                            super::super::$page().into_any()
                        }
                    }
                )*
            }
        )*

        /// Every lazily loaded page, as a route's view. One type for them all: the router's code
        /// is generic over a route's view, so a type per page (`Lazy<PageRoute>`) compiled it
        /// once per page into the main bundle.
        #[derive(Clone, Copy)]
        enum LazyPage {
            $($($variant,)*)*
        }

        impl ChooseView for LazyPage {
            async fn choose(self) -> AnyView {
                match self {
                    $($(
                        LazyPage::$variant => {
                            #[cfg(feature = "hydrate")]
                            let page = $chunk::$page::$page().await;
                            #[cfg(not(feature = "hydrate"))]
                            let page = {
                                // As `#[lazy]` does on the server: the page's chunk gets a
                                // preload link.
                                leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
                                $chunk::$page::$page()
                            };
                            page
                        }
                    )*)*
                }
            }

            // The router loads the chunk before it hydrates or shows the page, which must then
            // render at once: hydration cannot wait in the middle of a page.
            async fn preload(&self) {
                #[cfg(feature = "hydrate")]
                match self {
                    $($(LazyPage::$variant => $chunk::$page::load().await,)*)*
                }
            }
        }
    };
}

lazy_pages! {
    member_pages {
        WorksiteAccess => WorksiteAccessPage,
        RegisterWorksite => RegisterWorksitePage,
        JoinWorksite => JoinWorksitePage,
        ApproveRequest => ApproveRequestPage,
        AcceptInvitation => AcceptInvitationPage,
        Notifications => NotificationsPage,
        Applications => ApplicationsPage,
        EnrolmentForm => EnrolmentFormPage,
        Hpcaa => HpcaaPage,
        ManageAccount => ManageAccountPage,
    }
    sign_in_pages {
        SignIn => SignInPage,
        Register => RegisterPage,
        VerifyEmail => VerifyEmailPage,
        ResetPassword => ResetPasswordPage,
        LookUpUsername => LookUpUsernamePage,
    }
    staff_pages {
        BackOffice => BackOfficePage,
        ApplicationQueue => ApplicationQueuePage,
        ApplicationReview => ApplicationReviewPage,
        StaffWorksites => StaffWorksitesPage,
        StaffWorksite => StaffWorksitePage,
        StaffUsers => StaffUsersPage,
        StaffUser => StaffUserPage,
        AuditLog => AuditLogPage,
        EmailDeliveryLog => EmailDeliveryLogPage,
        ProfessionCatalogue => ProfessionCataloguePage,
        EditProfession => EditProfessionPage,
        ImportCompletions => ImportCompletionsPage,
    }
    development_pages {
        DevIdentityProvider => DevIdentityProviderPage,
        Mailbox => MailboxPage,
        CareConnectStandIn => CareConnectStandInPage,
    }
}

/// The worksite page is in the main bundle, but its tabs other than the member lists are in a
/// chunk of their own, which must be here before the page is shown on one of them.
struct WorksiteRoute;

impl LazyRoute for WorksiteRoute {
    fn data() -> Self {
        WorksiteRoute
    }

    async fn view(_this: Self) -> AnyView {
        WorksitePage().into_any()
    }

    async fn preload() {
        #[cfg(feature = "hydrate")]
        crate::worksites::ui::load_for_tab_in_url().await;
    }
}

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

/// Hydrates the server-rendered page. Hydration waits for the current page's chunk; once all of
/// it is alive, [`Hydrated`] is set (for what must wait for it) and so is `data-hydrated` on
/// `<body>` (the end-to-end tests and the benchmark wait for that).
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::tachys::dom::body();
        let hydrated = Hydrated::new();
        let app = move || {
            hydrated.provide();
            App()
        };
        leptos::mount::hydrate_from_async(body.clone(), app)
            .await
            .forget();
        hydrated.finish();
        let _ = body.set_attribute("data-hydrated", "true");
    });
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();
    provide_live_updates();
    view! {
        <Stylesheet id="portal" href="/pkg/portal.css"/>
        <Title text="my.CareConnect Enrolment Portal"/>
        <Router>
            <Frame>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/sign-in") view=LazyPage::SignIn/>
                    <Route path=path!("/register") view=LazyPage::Register/>
                    <Route path=path!("/account") view=LazyPage::ManageAccount/>
                    <Route path=path!("/account/verify-email") view=LazyPage::VerifyEmail/>
                    <Route path=path!("/account/reset-password") view=LazyPage::ResetPassword/>
                    <Route path=path!("/account/lookup-username") view=LazyPage::LookUpUsername/>
                    <Route path=path!("/worksites") view=LazyPage::WorksiteAccess/>
                    <Route path=path!("/worksites/register") view=LazyPage::RegisterWorksite/>
                    // One route for every tab, so moving between tabs keeps the page mounted.
                    <Route path=path!("/worksites/:code/:tab?") view={Lazy::<WorksiteRoute>::new()}/>
                    <Route path=path!("/join/:code") view=LazyPage::JoinWorksite/>
                    <Route path=path!("/join-requests/approve") view=LazyPage::ApproveRequest/>
                    <Route path=path!("/invitations/accept") view=LazyPage::AcceptInvitation/>
                    <Route path=path!("/notifications") view=LazyPage::Notifications/>
                    <Route path=path!("/applications") view=LazyPage::Applications/>
                    <Route path=path!("/applications/careconnect") view=LazyPage::EnrolmentForm/>
                    <Route path=path!("/staff") view=LazyPage::BackOffice/>
                    <Route path=path!("/staff/applications") view=LazyPage::ApplicationQueue/>
                    <Route path=path!("/staff/applications/:id") view=LazyPage::ApplicationReview/>
                    <Route path=path!("/staff/worksites") view=LazyPage::StaffWorksites/>
                    <Route path=path!("/staff/worksites/:code") view=LazyPage::StaffWorksite/>
                    <Route path=path!("/staff/users") view=LazyPage::StaffUsers/>
                    <Route path=path!("/staff/users/:id") view=LazyPage::StaffUser/>
                    <Route path=path!("/staff/audit") view=LazyPage::AuditLog/>
                    <Route path=path!("/staff/emails") view=LazyPage::EmailDeliveryLog/>
                    <Route path=path!("/staff/professions") view=LazyPage::ProfessionCatalogue/>
                    <Route path=path!("/staff/professions/:id") view=LazyPage::EditProfession/>
                    <Route path=path!("/staff/course-completions") view=LazyPage::ImportCompletions/>
                    <Route path=path!("/hpcaa") view=LazyPage::Hpcaa/>
                    <Route path=path!("/dev/idp") view=LazyPage::DevIdentityProvider/>
                    <Route path=path!("/dev/mailbox") view=LazyPage::Mailbox/>
                    <Route path=path!("/dev/careconnect") view=LazyPage::CareConnectStandIn/>
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
