//! `portal seed`: fills the database with plausible people, worksites (real-looking BC
//! addresses), memberships, pending requests, invitations, sponsorships, applications and audit
//! events, for benchmarks and demonstrations. Rows are written in bulk with explicit ids; one
//! password hash serves every seeded account (their password is [`SEED_PASSWORD`]).

use app::applications::types::ApplicationStatus;
use app::entities::{
    account, account_identity, audit_event, careconnect_application, invitation, join_request,
    membership, profession, sponsorship, worksite, worksite_search_term,
};
use app::invitations::types::InvitationStatus;
use app::join_requests::types::JoinRequestStatus;
use app::mail::{message::Email, outbox};
use app::memberships::types::MembershipStatus;
use app::memberships::{
    name_index::{self, name_prefixes},
    service::list_key,
};
use app::platform::passwords::PasswordHasher;
use app::professions::types::UserType;
use app::sponsorships::types::SponsorshipStatus;
use app::worksites::types::WorksiteId;
use app::worksites::{
    service::{address_key, search::terms_of},
    types::WorksiteType,
};
use chrono::{Duration, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryOrder, Set, Statement,
};
use std::time::Instant;

/// Every seeded account's password.
pub const SEED_PASSWORD: &str = "seeded password for benchmarks";
/// Rows per INSERT: well under SQLite's 32 766 bound parameters for the widest table.
const CHUNK: usize = 1000;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    pub users: usize,
    /// Emails queued in the outbox, each to its own address (for the mail worker's benchmark).
    pub emails: usize,
    pub worksites: usize,
    /// Members of the first worksite; the second has 10 000 and the third 100 (when there are
    /// that many people), so lists of every size can be measured.
    pub largest_worksite: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Default, Clone)]
pub struct SeedReport {
    pub accounts: usize,
    pub worksites: usize,
    pub memberships: usize,
    pub join_requests: usize,
    pub invitations: usize,
    pub sponsorships: usize,
    pub applications: usize,
    pub audit_events: usize,
    pub emails: usize,
    pub first_account: i64,
    /// Worksite IDs of the first three worksites (largest, 10 000, 100 members), with their
    /// administrator's username.
    pub anchors: Vec<(WorksiteId, usize, String)>,
    pub seconds: f64,
}

const GIVEN: &[&str] = &[
    "Amrit", "Beatrice", "Chen", "Dalia", "Emeka", "Farah", "Gregory", "Hana", "Ibrahim",
    "Jasmine", "Kiran", "Lena", "Mateo", "Nora", "Olive", "Priya", "Quinn", "Rosa", "Sanjay",
    "Tala", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe",
];
const FAMILY: &[&str] = &[
    "Anderson",
    "Bains",
    "Chow",
    "Dhillon",
    "Eng",
    "Fraser",
    "Gill",
    "Huang",
    "Iqbal",
    "Johal",
    "Kaur",
    "Lee",
    "MacDonald",
    "Nguyen",
    "Olsen",
    "Patel",
    "Quan",
    "Robertson",
    "Sandhu",
    "Tran",
    "Underwood",
    "Villanueva",
    "Wong",
    "Xu",
    "Young",
    "Zhang",
];
/// (city, postal code prefixes).
const CITIES: &[(&str, &[&str])] = &[
    (
        "Vancouver",
        &["V5K", "V5L", "V5N", "V6B", "V6E", "V6H", "V6K"],
    ),
    ("Burnaby", &["V5A", "V5B", "V5C", "V5G", "V5H"]),
    ("Surrey", &["V3R", "V3S", "V3T", "V3W", "V4N"]),
    ("Richmond", &["V6V", "V6X", "V6Y", "V7A", "V7C"]),
    ("Victoria", &["V8N", "V8R", "V8T", "V8V", "V8W"]),
    ("Kelowna", &["V1V", "V1W", "V1X", "V1Y"]),
    ("Kamloops", &["V2B", "V2C", "V2E"]),
    ("Nanaimo", &["V9R", "V9S", "V9T"]),
    ("Prince George", &["V2L", "V2M", "V2N"]),
    ("Abbotsford", &["V2S", "V2T", "V4X"]),
];
const STREETS: &[&str] = &[
    "Main St",
    "Kingsway",
    "Broadway",
    "Granville St",
    "Commercial Dr",
    "Fraser St",
    "Hastings St",
    "Oak St",
    "Cambie St",
    "Douglas St",
    "Fort St",
    "Bernard Ave",
    "Victoria St",
    "King George Blvd",
    "No. 3 Rd",
    "Lonsdale Ave",
    "Marine Dr",
    "Johnson St",
    "Harvey Ave",
    "Columbia St",
];
const PRACTICES: &[&str] = &[
    "Family Practice",
    "Medical Clinic",
    "Health Centre",
    "Pharmacy",
    "Community Clinic",
    "Walk-in Clinic",
    "Care Home",
    "Wellness Clinic",
];
/// (profession code, weight out of 100).
const PROFESSIONS: &[(&str, u32)] = &[
    ("physician", 30),
    ("nurse_practitioner", 5),
    ("pharmacist", 10),
    ("rn_independent", 8),
    ("moa", 30),
    ("lpn", 8),
    ("physiotherapist", 9),
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// A unique stand-in for a token's hash (no seeded link is ever followed).
fn token_hash(kind: &str, id: i64) -> String {
    format!("seed-{kind}-{id:048}")
}

/// The next id of `table` (explicit ids keep bulk inserts simple and fast).
async fn next_id(conn: &impl ConnectionTrait, table: &str) -> Result<i64, DbErr> {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            format!("SELECT COALESCE(MAX(id), 0) AS top FROM {table}"),
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<i64>("", "top"))
        .transpose()?
        .unwrap_or(0)
        + 1)
}

/// PostgreSQL's sequences do not follow explicit ids: move them past the rows written.
async fn advance_sequences(conn: &impl ConnectionTrait, tables: &[&str]) -> Result<(), DbErr> {
    if conn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    for table in tables {
        conn.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

async fn insert_all<A>(conn: &impl ConnectionTrait, rows: Vec<A>) -> Result<usize, DbErr>
where
    A: ActiveModelTrait + Send,
{
    let count = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(count)
}

/// Generates the plan's data in one transaction.
pub async fn seed(db: &DatabaseConnection, plan: SeedPlan) -> Result<SeedReport, DbErr> {
    if plan.worksites > 0 && plan.users == 0 {
        return Err(DbErr::Custom(
            "worksites are registered by people: seed some users too".to_owned(),
        ));
    }
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let password_hash = PasswordHasher::new(1)
        .hash(SEED_PASSWORD)
        .await
        .map_err(|error| DbErr::Custom(error.to_string()))?;
    let catalogue = profession::Entity::find()
        .order_by_asc(profession::Column::Id)
        .all(db)
        .await?;
    let profession_of = |code: &str| catalogue.iter().find(|p| p.code == code);
    // The write lock from the start: a deferred transaction that reads first fails at once
    // ("database is locked") if a running portal writes before its first write.
    let txn = app::platform::db::begin_write(db).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        // Millions of index entries land all over their B-trees: keep the pages in memory
        // (256 MB) rather than in the default 2 MB cache.
        txn.execute_unprepared("PRAGMA cache_size = -262144")
            .await?;
    }
    let now = Utc::now();
    let mut report = SeedReport::default();

    // People.
    let first_account = next_id(&txn, "accounts").await?;
    report.first_account = first_account;
    let mut people = Vec::with_capacity(plan.users);
    let mut identities = Vec::with_capacity(plan.users);
    let mut kinds = Vec::with_capacity(plan.users);
    let mut list_keys = Vec::with_capacity(plan.users);
    let mut name_prefixes_of = Vec::with_capacity(plan.users);
    for n in 0..plan.users {
        let id = first_account + n as i64;
        let mut roll = rng.random_range(0..100);
        let code = PROFESSIONS
            .iter()
            .find(|(_, weight)| {
                let hit = roll < *weight;
                roll = roll.saturating_sub(*weight);
                hit
            })
            .map_or("physician", |(code, _)| code);
        let Some(profession) = profession_of(code) else {
            return Err(DbErr::Custom(format!(
                "profession {code} is not in the catalogue"
            )));
        };
        kinds.push(profession.user_type.clone());
        let username = format!("user{id}");
        let registered = now - Duration::days(rng.random_range(1..900));
        let (given_name, family_name) = (pick(&mut rng, GIVEN), pick(&mut rng, FAMILY));
        let user_type = UserType::from_code(&profession.user_type).unwrap_or(UserType::Independent);
        list_keys.push(list_key(user_type, given_name, family_name));
        name_prefixes_of.push(name_prefixes(given_name, family_name));
        people.push(account::ActiveModel {
            id: Set(id),
            username: Set(username.clone()),
            username_key: Set(username.clone()),
            email: Set(Some(format!("{username}@seed.example"))),
            email_verified_at: Set(Some(registered)),
            pending_email: Set(None),
            password_hash: Set(password_hash.clone()),
            phone: Set(format!("604-555-{:04}", n % 10_000)),
            profession_id: Set(profession.id),
            licence_number: Set(profession.requires_licence.then(|| format!("L-{id:07}"))),
            given_name: Set(given_name.to_string()),
            family_name: Set(family_name.to_string()),
            birthdate: Set(None),
            is_staff: Set(false),
            created_at: Set(registered),
            updated_at: Set(registered),
            ..Default::default()
        });
        identities.push(account_identity::ActiveModel {
            account_id: Set(id),
            issuer: Set("https://seed.example".to_owned()),
            subject: Set(format!("seed-{id}")),
            created_at: Set(registered),
            last_signed_in_at: Set(registered),
            ..Default::default()
        });
    }
    report.accounts = insert_all(&txn, people).await?;
    insert_all(&txn, identities).await?;

    // Worksites with searchable addresses.
    let first_worksite = next_id(&txn, "worksites").await?;
    let mut sites = Vec::with_capacity(plan.worksites);
    let mut terms = Vec::new();
    for n in 0..plan.worksites {
        let id = first_worksite + n as i64;
        let (city, prefixes) = pick(&mut rng, CITIES);
        let street = format!(
            "{} {}",
            rng.random_range(100..9999),
            pick(&mut rng, STREETS)
        );
        let postal_code = format!(
            "{} {}{}{}",
            pick(&mut rng, prefixes),
            rng.random_range(1..10),
            (b'A' + rng.random_range(0..26)) as char,
            rng.random_range(0..10)
        );
        let unit = rng
            .random_bool(0.4)
            .then(|| rng.random_range(100..400).to_string());
        let worksite_type = if rng.random_bool(0.85) {
            *pick(
                &mut rng,
                &[
                    WorksiteType::CommunityBasedPrivatePractice,
                    WorksiteType::CommunityBasedPrivatePractice,
                    WorksiteType::CommunityPharmacy,
                    WorksiteType::LongTermCareFacility,
                    WorksiteType::FirstNationsHealthAuthorityFacility,
                ],
            )
        } else {
            *pick(&mut rng, &WorksiteType::ALL)
        };
        let row = worksite::Model {
            id,
            code: seeded_worksite_id(id),
            name: format!(
                "{} {} {}",
                pick(&mut rng, FAMILY),
                pick(&mut rng, STREETS).split(' ').next().unwrap_or("Main"),
                pick(&mut rng, PRACTICES)
            ),
            worksite_type: worksite_type.code().to_owned(),
            address_key: address_key(unit.as_deref(), &street, &postal_code),
            unit,
            street,
            city: city.to_string(),
            province: "BC".to_owned(),
            postal_code,
            country: "Canada".to_owned(),
            phone: format!("250-555-{:04}", n % 10_000),
            phone_extension: None,
            email: format!("front{id}@seed.example"),
            emr: "OSCAR Pro".to_owned(),
            clinic_type: "Family Practice".to_owned(),
            created_by: first_account,
            created_at: now - Duration::days(rng.random_range(1..900)),
            updated_at: now,
            // The triggers on memberships count them in as they are inserted.
            active_members: 0,
            inactive_members: 0,
        };
        terms.extend(
            terms_of(&row)
                .into_iter()
                .map(|term| worksite_search_term::ActiveModel {
                    term: Set(term),
                    worksite_id: Set(id),
                }),
        );
        let mut active: worksite::ActiveModel = row.into();
        active.id = Set(id);
        sites.push(active);
    }
    report.worksites = insert_all(&txn, sites).await?;
    insert_all(&txn, terms).await?;

    // Memberships: the anchors first, then everyone in one to three small worksites.
    let sizes: Vec<usize> = [plan.largest_worksite, 10_000, 100]
        .into_iter()
        .take(plan.worksites)
        .map(|size| size.min(plan.users))
        .collect();
    let mut members: Vec<(i64, i64, bool)> = Vec::new();
    for (index, size) in sizes.iter().enumerate() {
        let worksite_id = first_worksite + index as i64;
        for n in 0..*size {
            members.push((worksite_id, first_account + n as i64, n == 0));
        }
        report.anchors.push((
            seeded_worksite_id(worksite_id),
            *size,
            format!("user{first_account}"),
        ));
    }
    let small = plan.worksites.saturating_sub(sizes.len());
    if small > 0 {
        let mut admins = std::collections::HashSet::new();
        for n in 0..plan.users {
            for _ in 0..rng.random_range(1..=2) {
                let worksite_id =
                    first_worksite + (sizes.len() + rng.random_range(0..small)) as i64;
                if members
                    .iter()
                    .rev()
                    .take(2)
                    .any(|(w, a, _)| *w == worksite_id && *a == first_account + n as i64)
                {
                    continue;
                }
                let admin = admins.insert(worksite_id);
                members.push((worksite_id, first_account + n as i64, admin));
            }
        }
    }
    let first_membership = next_id(&txn, "memberships").await?;
    let memberships: Vec<membership::Model> = members
        .iter()
        .enumerate()
        .map(|(n, (worksite_id, account_id, is_admin))| {
            // Every twentieth membership (never an administrator's) is inactive.
            let inactive = !is_admin && n % 20 == 19;
            let (list_group, list_name) = list_keys[(account_id - first_account) as usize].clone();
            membership::Model {
                id: first_membership + n as i64,
                worksite_id: *worksite_id,
                account_id: *account_id,
                status: if inactive {
                    MembershipStatus::Inactive
                } else {
                    MembershipStatus::Active
                },
                is_admin: *is_admin,
                joined_at: now - Duration::days(30),
                deactivated_at: inactive.then_some(now - Duration::days(3)),
                deactivated_by: None,
                list_group,
                list_name,
            }
        })
        .collect();
    let rows = memberships
        .iter()
        .map(|member| member.clone().into_active_model().reset_all())
        .collect();
    report.memberships = insert_all(&txn, rows).await?;
    // Every prefix of every word of each member's name, keyed by the member's place in the
    // list; written a thousand memberships at a time (they are millions of rows).
    for chunk in memberships.chunks(CHUNK) {
        let prefixes = chunk
            .iter()
            .flat_map(|member| {
                let person = (member.account_id - first_account) as usize;
                name_index::rows_of(member, &name_prefixes_of[person])
            })
            .collect();
        insert_all(&txn, prefixes).await?;
    }

    // Pending join requests to the anchors from people who are not members (so their
    // administrators have people waiting), and invitations.
    let first_request = next_id(&txn, "join_requests").await?;
    let mut requests = Vec::new();
    for (index, size) in sizes.iter().enumerate() {
        for person in (*size..plan.users).step_by(97).take(200) {
            requests.push(join_request::ActiveModel {
                id: Set(first_request + requests.len() as i64),
                worksite_id: Set(first_worksite + index as i64),
                account_id: Set(first_account + person as i64),
                comment: Set(Some("I started here this month.".to_owned())),
                status: Set(JoinRequestStatus::Pending),
                token_hash: Set(token_hash("join", first_request + requests.len() as i64)),
                token_expires_at: Set(now + Duration::days(14)),
                requested_at: Set(now - Duration::hours(person as i64 % 72)),
                decided_at: Set(None),
                decided_by: Set(None),
                reason: Set(None),
            });
        }
    }
    report.join_requests = insert_all(&txn, requests).await?;
    let first_invitation = next_id(&txn, "invitations").await?;
    let invitations: Vec<invitation::ActiveModel> = (0..plan.worksites)
        .step_by(10)
        .enumerate()
        .map(|(n, site)| invitation::ActiveModel {
            id: Set(first_invitation + n as i64),
            worksite_id: Set(first_worksite + site as i64),
            email: Set(format!("invitee{n}@seed.example")),
            status: Set(InvitationStatus::Pending),
            token_hash: Set(token_hash("invitation", first_invitation + n as i64)),
            invited_by: Set(first_account),
            invited_at: Set(now - Duration::days(2)),
            last_sent_at: Set(now - Duration::days(2)),
            emails_sent: Set(1),
            expires_at: Set(now + Duration::days(12)),
            closed_at: Set(None),
            accepted_by: Set(None),
        })
        .collect();
    report.invitations = insert_all(&txn, invitations).await?;

    // Sponsorships: each On-Behalf-Of member with an Authorizer of the same worksite, and
    // applications from a third of the others.
    let kind = |account_id: i64| kinds[(account_id - first_account) as usize].as_str();
    let mut authorizer_at = std::collections::HashMap::new();
    let active = |index: usize| members[index].2 || index % 20 != 19;
    for (index, (worksite_id, account_id, _)) in members.iter().enumerate() {
        if active(index) && kind(*account_id) == "authorizer" {
            authorizer_at.entry(*worksite_id).or_insert(*account_id);
        }
    }
    let first_sponsorship = next_id(&txn, "sponsorships").await?;
    let mut sponsorships = Vec::new();
    let mut applications = Vec::new();
    let first_application = next_id(&txn, "careconnect_applications").await?;
    let mut applied = std::collections::HashSet::new();
    for (index, (worksite_id, account_id, _)) in members.iter().enumerate() {
        if !active(index) {
            continue;
        }
        match kind(*account_id) {
            "on_behalf_of" => {
                if let Some(authorizer) = authorizer_at.get(worksite_id) {
                    sponsorships.push(sponsorship::ActiveModel {
                        id: Set(first_sponsorship + sponsorships.len() as i64),
                        worksite_id: Set(*worksite_id),
                        authorizer_id: Set(*authorizer),
                        obo_id: Set(*account_id),
                        status: Set(SponsorshipStatus::Active),
                        requested_by: Set(*account_id),
                        requested_at: Set(now - Duration::days(20)),
                        decided_at: Set(Some(now - Duration::days(19))),
                        ended_at: Set(None),
                        ended_by: Set(None),
                        end_reason: Set(None),
                        decline_reason: Set(None),
                        last_day: Set(None),
                        end_reminded_at: Set(None),
                    });
                }
            }
            _ if account_id % 3 == 0 && applied.insert(*account_id) => {
                let status = *pick(
                    &mut rng,
                    &[
                        ApplicationStatus::Submitted,
                        ApplicationStatus::InReview,
                        ApplicationStatus::Returned,
                        ApplicationStatus::Approved,
                        ApplicationStatus::Denied,
                    ],
                );
                let submitted = now - Duration::days(rng.random_range(0..60));
                applications.push(careconnect_application::ActiveModel {
                    id: Set(first_application + applications.len() as i64),
                    account_id: Set(*account_id),
                    worksite_id: Set(*worksite_id),
                    status: Set(status),
                    licence_number: Set(format!("L-{account_id:07}")),
                    has_health_authority_access: Set(false),
                    health_authority_details: Set(None),
                    direct_patient_care: Set(true),
                    staff_message: Set(None),
                    submitted_at: Set(submitted),
                    updated_at: Set(submitted),
                    reviewed_by: Set(None),
                    decided_by: Set(None),
                    decided_at: Set(None),
                });
            }
            _ => {}
        }
    }
    report.sponsorships = insert_all(&txn, sponsorships).await?;
    report.applications = insert_all(&txn, applications).await?;

    // Audit events: each person's registration and a few sign-ins.
    let first_event = next_id(&txn, "audit_events").await?;
    let mut events = Vec::new();
    for n in 0..plan.users {
        let account_id = first_account + n as i64;
        for (k, action) in ["account_registered", "sign_in", "sign_in"]
            .iter()
            .enumerate()
        {
            events.push(audit_event::ActiveModel {
                id: Set(first_event + events.len() as i64),
                occurred_at: Set(
                    now - Duration::days(rng.random_range(0..365)) + Duration::minutes(k as i64)
                ),
                actor_account_id: Set(Some(account_id)),
                on_behalf_of_account_id: Set(None),
                worksite_id: Set(None),
                action: Set((*action).to_owned()),
                target: Set(format!("account:{account_id}")),
                client_addr: Set(Some("10.0.0.1".to_owned())),
                details: Set("{}".to_owned()),
            });
        }
    }
    report.audit_events = insert_all(&txn, events).await?;
    let run = now.timestamp();
    for n in 0..plan.emails {
        let email = Email::new(format!("Benchmark message {n}"))
            .paragraph("A message queued by `portal seed --emails` to measure the mail worker.")
            .signed();
        outbox::enqueue(
            &txn,
            &format!("bench{run}-{n}@seed.example"),
            email,
            "seed.example",
        )
        .await?;
    }
    report.emails = plan.emails;
    advance_sequences(
        &txn,
        &[
            "accounts",
            "worksites",
            "memberships",
            "join_requests",
            "invitations",
            "sponsorships",
            "careconnect_applications",
            "audit_events",
            "outbound_emails",
        ],
    )
    .await?;
    txn.commit().await?;
    // Fresh statistics and visibility, as autovacuum would leave them later, so the planners see
    // the lists' sizes and PostgreSQL can answer from the indexes alone; SQLite keeps no
    // statistics until asked.
    db.execute_unprepared(match db.get_database_backend() {
        DatabaseBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    })
    .await?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The seeded worksite with this row id has the Worksite ID `S` and six digits (S000001).
fn seeded_worksite_id(id: i64) -> WorksiteId {
    format!("S{id:06}")
        .parse()
        .expect("S and six digits make a Worksite ID")
}
