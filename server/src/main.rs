//! The portal's server binary: `portal serve` (the default), `portal migrate`, and operator
//! commands such as `portal staff grant EMAIL` and `portal access grant EMAIL WORKSITE_ID`.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
}

#[derive(Subcommand)]
enum AccessAction {
    /// Grant the account with this verified email CareConnect access from the worksite.
    Grant { email: String, worksite_id: String },
    /// End that access; the sponsorships the person gives at the worksite end with it.
    End { email: String, worksite_id: String },
}

#[derive(Subcommand)]
enum StaffAction {
    /// Make the account with this verified email address CareConnect staff.
    Grant { email: String },
}

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve().await,
        Command::Migrate => server::commands::migrate().await,
        Command::Staff {
            action: StaffAction::Grant { email },
        } => server::commands::grant_staff(&email).await,
        Command::Access { action } => match action {
            AccessAction::Grant { email, worksite_id } => {
                server::commands::grant_access(&email, &worksite_id).await
            }
            AccessAction::End { email, worksite_id } => {
                server::commands::end_access(&email, &worksite_id).await
            }
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
