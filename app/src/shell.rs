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
    path, Lazy, LazyRoute,
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
    ($($chunk:ident { $($route:ident => $page:ident,)* })*) => {$(
        /// The chunk's pages: in the browser, each loads the chunk before it renders. A page's
        /// `load` shares its loader, so once it has run the page renders at once.
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

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "hydrate")]
                    let page = $chunk::$page::$page().await;
                    #[cfg(not(feature = "hydrate"))]
                    let page = {
                        // As `#[lazy]` does on the server: the page's chunk gets a preload link.
                        leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
                        $chunk::$page::$page()
                    };
                    page
                }

                // The router loads the chunk before it hydrates or shows the page, which must then
                // render at once: hydration cannot wait in the middle of a page.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $chunk::$page::load().await;
                }
            }
        )*
    )*};
}

lazy_pages! {
    member_pages {
        WorksiteAccessRoute => WorksiteAccessPage,
        RegisterWorksiteRoute => RegisterWorksitePage,
        JoinWorksiteRoute => JoinWorksitePage,
        ApproveRequestRoute => ApproveRequestPage,
        AcceptInvitationRoute => AcceptInvitationPage,
        NotificationsRoute => NotificationsPage,
        ApplicationsRoute => ApplicationsPage,
        EnrolmentFormRoute => EnrolmentFormPage,
        HpcaaRoute => HpcaaPage,
        ManageAccountRoute => ManageAccountPage,
    }
    sign_in_pages {
        SignInRoute => SignInPage,
        RegisterRoute => RegisterPage,
        VerifyEmailRoute => VerifyEmailPage,
        ResetPasswordRoute => ResetPasswordPage,
        LookUpUsernameRoute => LookUpUsernamePage,
    }
    staff_pages {
        BackOfficeRoute => BackOfficePage,
        ApplicationQueueRoute => ApplicationQueuePage,
        ApplicationReviewRoute => ApplicationReviewPage,
        StaffWorksitesRoute => StaffWorksitesPage,
        StaffWorksiteRoute => StaffWorksitePage,
        StaffUsersRoute => StaffUsersPage,
        StaffUserRoute => StaffUserPage,
        AuditLogRoute => AuditLogPage,
        ProfessionCatalogueRoute => ProfessionCataloguePage,
        EditProfessionRoute => EditProfessionPage,
        ImportCompletionsRoute => ImportCompletionsPage,
    }
    development_pages {
        DevIdentityProviderRoute => DevIdentityProviderPage,
        MailboxRoute => MailboxPage,
        CareConnectStandInRoute => CareConnectStandInPage,
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
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()}/>
                    <Route path=path!("/account") view={Lazy::<ManageAccountRoute>::new()}/>
                    <Route path=path!("/account/verify-email") view={Lazy::<VerifyEmailRoute>::new()}/>
                    <Route path=path!("/account/reset-password") view={Lazy::<ResetPasswordRoute>::new()}/>
                    <Route path=path!("/account/lookup-username") view={Lazy::<LookUpUsernameRoute>::new()}/>
                    <Route path=path!("/worksites") view={Lazy::<WorksiteAccessRoute>::new()}/>
                    <Route path=path!("/worksites/register") view={Lazy::<RegisterWorksiteRoute>::new()}/>
                    // One route for every tab, so moving between tabs keeps the page mounted.
                    <Route path=path!("/worksites/:code/:tab?") view={Lazy::<WorksiteRoute>::new()}/>
                    <Route path=path!("/join/:code") view={Lazy::<JoinWorksiteRoute>::new()}/>
                    <Route path=path!("/join-requests/approve") view={Lazy::<ApproveRequestRoute>::new()}/>
                    <Route path=path!("/invitations/accept") view={Lazy::<AcceptInvitationRoute>::new()}/>
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()}/>
                    <Route path=path!("/applications") view={Lazy::<ApplicationsRoute>::new()}/>
                    <Route path=path!("/applications/careconnect") view={Lazy::<EnrolmentFormRoute>::new()}/>
                    <Route path=path!("/staff") view={Lazy::<BackOfficeRoute>::new()}/>
                    <Route path=path!("/staff/applications") view={Lazy::<ApplicationQueueRoute>::new()}/>
                    <Route path=path!("/staff/applications/:id") view={Lazy::<ApplicationReviewRoute>::new()}/>
                    <Route path=path!("/staff/worksites") view={Lazy::<StaffWorksitesRoute>::new()}/>
                    <Route path=path!("/staff/worksites/:code") view={Lazy::<StaffWorksiteRoute>::new()}/>
                    <Route path=path!("/staff/users") view={Lazy::<StaffUsersRoute>::new()}/>
                    <Route path=path!("/staff/users/:id") view={Lazy::<StaffUserRoute>::new()}/>
                    <Route path=path!("/staff/audit") view={Lazy::<AuditLogRoute>::new()}/>
                    <Route path=path!("/staff/professions") view={Lazy::<ProfessionCatalogueRoute>::new()}/>
                    <Route path=path!("/staff/professions/:id") view={Lazy::<EditProfessionRoute>::new()}/>
                    <Route path=path!("/staff/course-completions") view={Lazy::<ImportCompletionsRoute>::new()}/>
                    <Route path=path!("/hpcaa") view={Lazy::<HpcaaRoute>::new()}/>
                    <Route path=path!("/dev/idp") view={Lazy::<DevIdentityProviderRoute>::new()}/>
                    <Route path=path!("/dev/mailbox") view={Lazy::<MailboxRoute>::new()}/>
                    <Route path=path!("/dev/careconnect") view={Lazy::<CareConnectStandInRoute>::new()}/>
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
