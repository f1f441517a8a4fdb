//! The role × action matrix: every registered server function and every route, who may call it,
//! and proof through the real router that everyone else is refused and changes nothing. A server
//! function without a row fails the suite, so a new one cannot ship unexamined.

use super::http::{call, form_of, production, router, send, signed_in, staff_signed_in, Answer};
use app::platform::AppState;
use app::testing::{as_account, person, Clinic, TestDb};
use app::worksites::types::WorksiteType;
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::BTreeSet;

/// Who may call a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    /// Anyone, signed in or not (sign-in, recovery, a link's own token).
    Anyone,
    /// Any signed-in person, about themselves.
    SignedIn,
    /// An active member of the worksite named in the request.
    Member,
    /// A Group / Site Administrator of that worksite.
    Administrator,
    /// The CareConnect team.
    Staff,
    /// Only a portal in development mode: production answers 404.
    Development,
}

/// The people of the matrix, each with a session on the router.
pub(super) struct Cast {
    /// Administrator of worksite A.
    dalia: String,
    /// An active member of worksite A (an On-Behalf-Of user).
    greg: String,
    /// Signed in, member of nothing.
    olga: String,
    /// The CareConnect team.
    sam: String,
}

/// Ids the requests name, all at worksite A.
#[derive(Default)]
pub(super) struct Ids {
    code: String,
    greg_membership: String,
    dalia_membership: String,
    invitation: String,
    join_request: String,
    sponsorship: String,
    /// Someone the team may disable and enable: not one of the cast.
    rita_account: String,
    /// An email that could not be delivered.
    failed_email: String,
}

/// Every server function with who may call it and a request it would accept from them: a table,
/// one function a line.
#[rustfmt::skip]
pub(super) fn rows(ids: &Ids) -> Vec<(&'static str, Who, String)> {
    let code = ids.code.as_str();
    let f = form_of;
    vec![
        // Accounts.
        ("load_session", Who::Anyone, String::new()),
        ("sign_in", Who::Anyone, f(&[("username", "nobody"), ("password", "a wrong guess")])),
        ("sign_out", Who::Anyone, String::new()),
        ("load_registration", Who::Anyone, String::new()),
        ("register", Who::Anyone, f(&[("form[email]", "x@clinic.example"), ("form[username]", "someone"), ("form[password]", "a long enough passphrase"), ("form[password_confirmation]", "a long enough passphrase"), ("form[phone]", "6045550199"), ("form[profession_id]", "1"), ("form[licence_number]", "")])),
        ("verify_email", Who::Anyone, f(&[("token", "not-a-token")])),
        ("request_password_reset", Who::Anyone, f(&[("email", "nobody@clinic.example")])),
        ("reset_password", Who::Anyone, f(&[("token", "not-a-token"), ("password", "a long enough passphrase"), ("password_confirmation", "a long enough passphrase")])),
        ("look_up_username", Who::Anyone, f(&[("email", "nobody@clinic.example")])),
        ("session_time_left", Who::Anyone, String::new()),
        ("update_contact", Who::SignedIn, f(&[("form[email]", "olga.new@clinic.example"), ("form[phone]", "6045550199"), ("form[current_password]", "")])),
        ("change_password", Who::SignedIn, f(&[("form[current_password]", "wrong"), ("form[password]", "a long enough passphrase"), ("form[password_confirmation]", "a long enough passphrase")])),
        ("signed_in_devices", Who::SignedIn, String::new()),
        ("sign_out_other_sessions", Who::SignedIn, String::new()),
        ("stay_signed_in", Who::Anyone, String::new()),
        ("staff_disable_account", Who::Staff, f(&[("id", &ids.rita_account), ("reason", "matrix")])),
        ("staff_enable_account", Who::Staff, f(&[("id", &ids.rita_account)])),
        ("staff_find_people", Who::Staff, f(&[("query", "dalia")])),
        ("staff_person", Who::Staff, f(&[("id", &ids.rita_account)])),
        ("dev_identity_sign_in", Who::Development, f(&[("form[subject]", "matrix"), ("form[given_name]", "Max"), ("form[family_name]", "Trix")])),
        ("mailbox_messages", Who::Development, f(&[("page", "0")])),
        // Worksites.
        ("register_worksite", Who::SignedIn, f(&[("form[name]", "Matrix Clinic"), ("form[worksite_type]", WorksiteType::CommunityBasedPrivatePractice.code()), ("form[unit]", ""), ("form[street]", "1 Matrix St"), ("form[city]", "Vancouver"), ("form[postal_code]", "V6E 1H4"), ("form[phone]", "6045550199"), ("form[phone_extension]", ""), ("form[email]", "front@clinic.example"), ("form[emr]", "OSCAR Pro"), ("form[clinic_type]", "Family Practice"), ("form[register_anyway]", "")])),
        ("find_worksite", Who::SignedIn, f(&[("worksite_id", code)])),
        ("search_worksites", Who::SignedIn, f(&[("query", "Barclay")])),
        ("my_worksites", Who::SignedIn, String::new()),
        ("load_worksite", Who::Member, f(&[("code", code)])),
        ("update_worksite", Who::Administrator, f(&[("code", code), ("form[name]", "Barclay Clinic"), ("form[phone]", "6045550199"), ("form[phone_extension]", ""), ("form[email]", "front@clinic.example")])),
        ("suggest_addresses", Who::SignedIn, f(&[("query", "1234 Bar")])),
        ("staff_find_worksites", Who::Staff, f(&[("query", "Barclay")])),
        ("load_staff_worksite", Who::Staff, f(&[("code", code)])),
        ("update_locked_fields", Who::Staff, f(&[("code", code), ("form[unit]", ""), ("form[street]", "1234 Barclay St"), ("form[city]", "Vancouver"), ("form[postal_code]", "V6E 1H4"), ("form[emr]", "OSCAR Pro"), ("form[clinic_type]", "Family Practice")])),
        // Joining.
        ("request_access", Who::SignedIn, f(&[("form[code]", code), ("form[comment]", "")])),
        ("my_join_requests", Who::SignedIn, String::new()),
        ("withdraw_join_request", Who::SignedIn, f(&[("request_id", &ids.join_request)])),
        ("waiting_join_requests", Who::Administrator, f(&[("code", code), ("page", "0")])),
        ("decide_join_request", Who::Administrator, f(&[("code", code), ("request_id", &ids.join_request), ("decision", "Reject"), ("reason", "matrix")])),
        ("approval_preview", Who::SignedIn, f(&[("token", "not-a-token")])),
        ("approve_by_link", Who::SignedIn, f(&[("token", "not-a-token")])),
        // Members and invitations.
        ("worksite_members", Who::Member, f(&[("code", code), ("active", "true"), ("search", ""), ("cursor", "First")])),
        ("change_member", Who::Administrator, f(&[("code", code), ("membership_id", &ids.greg_membership), ("change", "PromoteToAdmin")])),
        ("invite_member", Who::Administrator, f(&[("code", code), ("email", "new.person@clinic.example")])),
        ("awaiting_invitations", Who::Administrator, f(&[("code", code), ("page", "0")])),
        ("resend_invitation", Who::Administrator, f(&[("code", code), ("invitation_id", &ids.invitation), ("emails_sent", "1")])),
        ("revoke_invitation", Who::Administrator, f(&[("code", code), ("invitation_id", &ids.invitation)])),
        ("invitation_standing", Who::Anyone, f(&[("token", "not-a-token")])),
        ("accept_invitation", Who::SignedIn, f(&[("token", "not-a-token")])),
        ("my_invitations", Who::SignedIn, String::new()),
        ("accept_my_invitation", Who::SignedIn, f(&[("invitation_id", &ids.invitation)])),
        // Sponsorships and access.
        ("load_sponsorships", Who::Member, f(&[("code", code)])),
        ("request_sponsorship", Who::Member, f(&[("code", code), ("membership_id", &ids.dalia_membership)])),
        ("authorize_on_behalf_of_user", Who::Member, f(&[("code", code), ("membership_id", &ids.greg_membership)])),
        ("change_sponsorship", Who::Member, f(&[("code", code), ("sponsorship_id", &ids.sponsorship), ("change", "Decline")])),
        ("set_sponsorship_last_day", Who::Member, f(&[("code", code), ("sponsorship_id", &ids.sponsorship), ("last_day", "")])),
        ("my_careconnect_access", Who::SignedIn, String::new()),
        ("open_careconnect", Who::Member, f(&[("code", code)])),
        // Notifications.
        ("attention", Who::Anyone, String::new()), // signed out: nothing needs attention
        ("notifications", Who::SignedIn, String::new()),
        ("mark_notifications_read", Who::SignedIn, String::new()),
        // Professions, privacy, applications, audit.
        ("list_professions", Who::Anyone, String::new()),
        ("save_profession", Who::Staff, f(&[("form[id]", ""), ("form[name]", "Matrix Therapist"), ("form[user_type]", "independent")])),
        ("import_course_completions", Who::Staff, f(&[("csv", "email,completed_on,reference\n")])),
        ("my_privacy_requirements", Who::SignedIn, String::new()),
        ("sign_hpcaa", Who::SignedIn, f(&[("form[full_name]", "Olga Other"), ("form[agree]", "on")])),
        ("site_declaration", Who::Member, f(&[("code", code)])),
        ("sign_site_declaration", Who::Administrator, f(&[("code", code), ("form[full_name]", "Dalia Eighteen"), ("form[title]", "Owner"), ("form[signing_authority]", "on"), ("form[agree]", "on")])),
        ("load_my_applications", Who::SignedIn, String::new()),
        ("submit_application", Who::SignedIn, f(&[("form[worksite]", code), ("form[licence_number]", "P-1"), ("form[health_authority_access]", "no"), ("form[health_authority_details]", ""), ("form[direct_patient_care]", "on")])),
        ("application_queue", Who::Staff, f(&[("filter[status]", ""), ("filter[page]", "0")])),
        ("load_application_detail", Who::Staff, f(&[("id", "1")])),
        ("decide_application", Who::Staff, f(&[("id", "1"), ("decision", "start_review"), ("seen", "submitted"), ("message", "")])),
        ("search_audit_log", Who::Staff, f(&[("query[page]", "0")])),
        ("email_delivery_log", Who::Staff, f(&[("query[delivery]", "failed")])),
        ("resend_email", Who::Staff, f(&[("id", &ids.failed_email)])),
        // Last: the admitted member leaves worksite A (another administrator was promoted above).
        ("leave_worksite", Who::Member, f(&[("code", code)])),
    ]
}

/// Everything the portal keeps, as text, but what a refused request may itself write (its
/// session, its audit trail, its attempt counts).
pub(super) async fn fingerprint(db: &DatabaseConnection) -> Vec<Vec<String>> {
    use app::entities::*;
    macro_rules! tables {
        ($($entity:ident),* $(,)?) => {
            vec![$({
                let mut rows: Vec<String> = $entity::Entity::find()
                    .into_json()
                    .all(db)
                    .await
                    .expect("readable")
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                rows.sort();
                rows
            }),*]
        };
    }
    tables!(
        account,
        account_identity,
        callback_receipt,
        careconnect_access,
        careconnect_application,
        course_completion,
        hpcaa_signature,
        invitation,
        join_request,
        member_name_prefix,
        membership,
        notification,
        one_time_token,
        outbound_email,
        profession,
        site_declaration,
        sponsorship,
        worksite,
        worksite_search_term,
    )
}

/// The cast signed in, and the ids at worksite A.
pub(super) async fn stage(state: &AppState, router: &Router) -> (Cast, Ids) {
    use app::memberships::service::{as_member, membership_of};
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    person(state, "olga", "Olga", "Other", "physician").await;
    let rita = person(state, "rita", "Rita", "Requester", "physician").await;
    person(state, "sam", "Sam", "Staff", "physician").await;
    app::testing::as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, "sam@clinic.example").await
    })
    .await
    .unwrap();
    let a = Clinic::named("Barclay Clinic")
        .members([greg])
        .registered_by(state, dalia)
        .await;
    let worksite_id = as_member(&state.db, dalia, &a.code).await.unwrap().0.id;
    let membership = async |account| {
        membership_of(&state.db, worksite_id, account)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (greg_membership, dalia_membership) = (membership(greg).await, membership(dalia).await);
    as_account(state, dalia, async |ch| {
        app::invitations::service::invite(ch, &a.code, "invitee@clinic.example").await
    })
    .await
    .unwrap();
    let invitation = app::entities::invitation::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let form = app::join_requests::types::AccessRequestForm {
        code: a.code.clone(),
        comment: String::new(),
    };
    as_account(state, rita, async |ch| {
        app::join_requests::service::request(ch, &form).await
    })
    .await
    .unwrap();
    let join_request = app::entities::join_request::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    as_account(state, greg, async |ch| {
        app::sponsorships::service::request(ch, &a.code, dalia_membership).await
    })
    .await
    .unwrap();
    let sponsorship = app::entities::sponsorship::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    // The invitation's email could not be delivered: staff may resend it.
    let failed_email = app::entities::outbound_email::Entity::find()
        .filter(app::entities::outbound_email::Column::ToAddress.eq("invitee@clinic.example"))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    app::entities::outbound_email::Entity::update_many()
        .col_expr(
            app::entities::outbound_email::Column::Status,
            sea_orm::sea_query::Expr::value(app::mail::outbox::OutboxStatus::Failed),
        )
        .filter(app::entities::outbound_email::Column::Id.eq(failed_email))
        .exec(&state.db)
        .await
        .unwrap();
    let cast = Cast {
        dalia: signed_in(router, "dalia").await,
        greg: signed_in(router, "greg").await,
        olga: signed_in(router, "olga").await,
        sam: staff_signed_in(router, state, "sam").await,
    };
    let ids = Ids {
        code: a.code.to_string(),
        greg_membership: greg_membership.to_string(),
        dalia_membership: dalia_membership.to_string(),
        invitation: invitation.to_string(),
        join_request: join_request.to_string(),
        sponsorship: sponsorship.to_string(),
        rita_account: rita.to_string(),
        failed_email: failed_email.to_string(),
    };
    (cast, ids)
}

/// The callers refused a function, by name, with their session (none: anonymous).
fn refused(who: Who, cast: &Cast) -> Vec<(&'static str, Option<&str>)> {
    let anonymous = ("anonymous", None);
    let outsider = ("a person of no worksite", Some(cast.olga.as_str()));
    let member = (
        "a member who is not an administrator",
        Some(cast.greg.as_str()),
    );
    let administrator = ("a worksite administrator", Some(cast.dalia.as_str()));
    match who {
        Who::Anyone | Who::Development => vec![],
        Who::SignedIn => vec![anonymous],
        Who::Member => vec![anonymous, outsider],
        Who::Administrator => vec![anonymous, outsider, member],
        Who::Staff => vec![anonymous, outsider, member, administrator],
    }
}

/// A caller the function admits.
pub(super) fn admitted(who: Who, cast: &Cast) -> Option<&str> {
    match who {
        Who::Anyone | Who::Development => None,
        Who::SignedIn => Some(&cast.olga),
        // The administrator is a member too, and an Authorizer: she may act on the sponsorship.
        Who::Member | Who::Administrator => Some(&cast.dalia),
        Who::Staff => Some(&cast.sam),
    }
}

fn is_refusal(answer: &Answer) -> bool {
    matches!(
        answer.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    )
}

#[test]
fn every_registered_server_function_has_a_row_and_every_row_is_registered() {
    // Server functions register themselves as the binary starts.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let listed: BTreeSet<String> = rows(&Ids::default())
        .into_iter()
        .map(|(name, ..)| name.to_owned())
        .collect();
    let missing: Vec<_> = registered.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the matrix: {missing:?}"
    );
    assert!(stale.is_empty(), "rows for no server function: {stale:?}");
}

#[tokio::test]
async fn every_forbidden_cell_is_refused_and_changes_nothing() {
    let test = TestDb::new().await;
    let router = router(&test.state);
    let (cast, ids) = stage(&test.state, &router).await;
    let before = fingerprint(test.db()).await;
    let mut wrong = Vec::new();
    for (function, who, form) in rows(&ids) {
        for (caller, cookie) in refused(who, &cast) {
            let answer = call(&router, function, &form, cookie).await;
            if !is_refusal(&answer) {
                wrong.push(format!(
                    "{function} answered {} to {caller}: {}",
                    answer.status, answer.body
                ));
            }
            if fingerprint(test.db()).await != before {
                panic!("{function} refused to {caller} changed something");
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "forbidden cells not refused:\n{}",
        wrong.join("\n")
    );
    // Whom a function admits gets past its authorization (the request itself may be refused
    // for what it asks, never for who asks).
    for (function, who, form) in rows(&ids) {
        if who == Who::Development {
            continue;
        }
        let answer = call(&router, function, &form, admitted(who, &cast)).await;
        if matches!(
            answer.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::INTERNAL_SERVER_ERROR
        ) {
            wrong.push(format!(
                "{function} answered {} to whom it admits: {}",
                answer.status, answer.body
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "admitted cells refused:\n{}",
        wrong.join("\n")
    );
    // The admitted calls wrote (a worksite, an invitation, a decision): the fingerprint sees
    // writes, so its silence above means something.
    assert_ne!(fingerprint(test.db()).await, before);
}

#[tokio::test]
async fn production_serves_no_development_function_or_page() {
    let test = TestDb::new().await;
    let url = secrecy::ExposeSecret::expose_secret(&test.state.config.database_url).to_owned();
    let state = AppState::new(test.db().clone(), production(&url));
    let router = router(&state);
    for (function, who, form) in rows(&Ids::default()) {
        if who == Who::Development {
            let answer = call(&router, function, &form, None).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{function}");
        }
    }
    for page in ["/dev/idp", "/dev/mailbox", "/dev/careconnect"] {
        let answer = send(&router, Request::get(page).body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{page}");
    }
}

#[tokio::test]
async fn every_route_refuses_whom_it_does_not_serve() {
    let test = TestDb::new().await;
    let router = router(&test.state);
    let (cast, _) = stage(&test.state, &router).await;
    let get = |path: &str, cookie: Option<&str>| {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::empty()).unwrap()
    };
    // Signed-in routes refuse anonymous callers; the audit export refuses all but staff.
    for (path, refused_callers) in [
        ("/events", vec![None]),
        ("/hpcaa/signed.pdf", vec![None]),
        (
            "/staff/audit.csv",
            vec![None, Some(cast.olga.as_str()), Some(cast.dalia.as_str())],
        ),
    ] {
        for cookie in refused_callers {
            let answer = send(&router, get(path, cookie)).await;
            assert!(
                matches!(
                    answer.status,
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
                ),
                "{path}: {}",
                answer.status
            );
        }
    }
    // The signed PDF is its signer's only: someone who signed nothing finds none.
    let answer = send(&router, get("/hpcaa/signed.pdf", Some(&cast.olga))).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    // The learning system's callback needs its signature.
    let unsigned = Request::post("/integrations/course-completions")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let answer = send(&router, unsigned).await;
    assert!(
        matches!(
            answer.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        answer.status
    );
}
