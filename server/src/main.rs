//! The portal's server binary: `portal serve` (the default), `portal migrate`, and operator
//! commands such as `portal staff grant EMAIL`, `portal access grant EMAIL WORKSITE_ID`,
//! `portal housekeeping`, `portal backup FILE` and `portal restore FILE` (SQLite), `portal seed`
//! and `portal explain` (benchmarks).

use app::worksites::types::WorksiteId;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc rather than glibc's allocator: requests allocate many small short-lived buffers
/// across the runtime's and the SQLite workers' threads, where glibc's arenas contend.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "portal",
    about = "my.CareConnect Enrolment Portal server",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the portal (the default).
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Manage the CareConnect team (staff) role.
    Staff {
        #[command(subcommand)]
        action: StaffAction,
    },
    /// Record CareConnect access granted or ended outside the portal (e.g. access that existed
    /// before it).
    Access {
        #[command(subcommand)]
        action: AccessAction,
    },
    /// Fill the database with generated people, worksites, memberships, requests, invitations,
    /// sponsorships, applications, audit events and queued emails, for benchmarks (refused in
    /// production).
    Seed {
        #[arg(long, default_value_t = 0)]
        users: usize,
        #[arg(long, default_value_t = 0)]
        worksites: usize,
        /// Members of the first worksite (the second gets 10 000 and the third 100).
        #[arg(long, default_value_t = 0)]
        largest_worksite: usize,
        #[arg(long, default_value_t = 0)]
        emails: usize,
        /// The random generator's seed: the same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Run one round of what time brings now (every app server does every five minutes):
    /// sponsorships' last days (reminders, ends), retention, old attempt counts.
    Housekeeping,
    /// Copy the live SQLite database to FILE, consistently, while the portal serves.
    Backup { file: std::path::PathBuf },
    /// Put the SQLite backup FILE in place of the database (stop the portal first).
    Restore { file: std::path::PathBuf },
    /// Print the database's query plans for a worksite's member lists (for the benchmark
    /// report).
    Explain {
        /// The Worksite ID, e.g. S000001.
        worksite_id: WorksiteId,
    },
}

#[derive(Subcommand)]
enum AccessAction {
    /// Grant the account with this verified email CareConnect access from the worksite.
    Grant {
        email: String,
        worksite_id: WorksiteId,
    },
    /// End that access; the sponsorships the person gives at the worksite end with it.
    End {
        email: String,
        worksite_id: WorksiteId,
    },
}

#[derive(Subcommand)]
enum StaffAction {
    /// Make the account with this verified email address CareConnect staff.
    Grant { email: String },
    /// The account with this verified email address is no longer CareConnect staff.
    Revoke { email: String },
}

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve().await,
        Command::Migrate => server::commands::migrate().await,
        Command::Staff { action } => match action {
            StaffAction::Grant { email } => server::commands::grant_staff(&email).await,
            StaffAction::Revoke { email } => server::commands::revoke_staff(&email).await,
        },
        Command::Access { action } => match action {
            AccessAction::Grant { email, worksite_id } => {
                server::commands::grant_access(&email, &worksite_id).await
            }
            AccessAction::End { email, worksite_id } => {
                server::commands::end_access(&email, &worksite_id).await
            }
        },
        Command::Seed {
            users,
            worksites,
            largest_worksite,
            emails,
            seed,
        } => {
            let plan = server::seed::SeedPlan {
                users,
                emails,
                worksites,
                largest_worksite,
                seed,
            };
            server::commands::seed(plan).await
        }
        Command::Explain { worksite_id } => server::commands::explain(&worksite_id).await,
        Command::Housekeeping => server::commands::housekeeping().await,
        Command::Backup { file } => server::commands::backup(&file).await,
        Command::Restore { file } => server::commands::restore(&file).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
