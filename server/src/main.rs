//! The portal's server binary: `portal serve` (the default), `portal migrate`, and operator
//! commands such as `portal staff grant EMAIL`.

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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
