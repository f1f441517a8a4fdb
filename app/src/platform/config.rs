//! Configuration from the environment (see the README's configuration table).

use super::client_address::{ForwardingHeader, TrustedProxies};
use secrecy::SecretString;
use std::env;

/// Secrets (the client secret, and URLs that may carry a password) are `SecretString`: `Debug`
/// prints them redacted, and reading one takes `ExposeSecret::expose_secret`.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer_url: String,
    pub client_id: String,
    pub client_secret: SecretString,
}

pub const DEFAULT_INVITATION_DAYS: i64 = 14;
pub const DEFAULT_SIGN_INS_PER_ADDRESS: u32 = 30;
pub const DEFAULT_DATABASE_CONNECTIONS: u32 = 16;
pub const DEFAULT_SESSION_IDLE_MINUTES: i64 = 30;
pub const DEFAULT_MAIL_RETRY_SECONDS: i64 = 30;
pub const DEFAULT_MAIL_SEND_TIMEOUT_SECONDS: u64 = 60;
pub const DEFAULT_LIVE_STREAMS_PER_ACCOUNT: usize = 8;
pub const DEFAULT_LIVE_STREAMS_PER_SERVER: usize = 10_000;

#[derive(Debug, Clone)]
pub struct PortalConfig {
    pub database_url: SecretString,
    /// The most connections this server opens to the database (`DATABASE_MAX_CONNECTIONS`,
    /// default 16); an in-memory SQLite database always has one.
    pub database_max_connections: u32,
    /// Base of every link in emails and of the OIDC redirect URI, without a trailing slash.
    pub public_url: String,
    pub production: bool,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub oidc: Option<OidcSettings>,
    /// CSV of reference addresses offered while registering a worksite.
    pub address_file: Option<String>,
    /// How long an invitation's link works (`INVITATION_EXPIRY_DAYS`, default 14).
    pub invitation_days: i64,
    /// Where "Open CareConnect" leads (`CARECONNECT_URL`); development falls back to a stand-in.
    pub careconnect_url: Option<String>,
    /// The secret the learning system signs course completion callbacks with
    /// (`COURSE_CALLBACK_SECRET`); unset: the callback is switched off.
    pub course_callback_secret: Option<SecretString>,
    /// The secret it signed with before (`COURSE_CALLBACK_PREVIOUS_SECRET`), still accepted while
    /// the learning system changes over; unset once it has.
    pub course_callback_previous_secret: Option<SecretString>,
    /// Password sign-ins allowed per client address and minute
    /// (`SIGN_INS_PER_ADDRESS_PER_MINUTE`, default 30): raise it when many people share an
    /// address.
    pub sign_ins_per_address_per_minute: u32,
    /// The proxies whose forwarding header names the client (`TRUSTED_PROXIES`, and
    /// `TRUSTED_PROXY_HEADER`, default `X-Forwarded-For`); none by default.
    pub trusted_proxies: TrustedProxies,
    /// Minutes without a request after which a session ends (`SESSION_IDLE_MINUTES`, default
    /// 30, at least 3: people are warned two minutes before).
    pub session_idle_minutes: i64,
    /// Seconds to wait before trying an undelivered email again (`MAIL_RETRY_SECONDS`, default
    /// 30); each further failure doubles the wait, up to an hour.
    pub mail_retry_seconds: i64,
    /// Seconds one SMTP delivery may take before it counts as failed (`MAIL_SEND_TIMEOUT_SECONDS`,
    /// default 60). A worker's claim on a message lasts twice this, so a message a crashed worker
    /// held goes out again after that long.
    pub mail_send_timeout_seconds: u64,
    /// Where the operators' listener (Prometheus metrics and the health checks) listens
    /// (`METRICS_ADDR`, e.g. `127.0.0.1:9100`); unset: nowhere.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// How long notifications and used or expired links are kept
    /// (`RETENTION_NOTIFICATION_DAYS`, default 180; `RETENTION_LINK_DAYS`, default 30).
    pub retention: super::retention::Retention,
    /// Live-update streams one app server holds open per account (`LIVE_STREAMS_PER_ACCOUNT`,
    /// default 8: a person's open tabs) and in all (`LIVE_STREAMS_PER_SERVER`, default 10 000).
    pub live_streams: crate::notifications::live::StreamLimits,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("PORTAL_ENV must be `development` or `production`, not `{0}`")]
    UnknownEnvironment(String),
    #[error("production mode requires {0} to be set (PORTAL_ENV is `production` unless set to `development` for a local trial)")]
    MissingInProduction(&'static str),
    #[error("development mode is refused while {0} is set: unset {0}, or unset PORTAL_ENV to run in production mode")]
    DevelopmentWithRealService(&'static str),
    #[error("development mode is refused with an https:// PORTAL_PUBLIC_URL: use http://, or unset PORTAL_ENV to run in production mode")]
    DevelopmentWithHttps,
    #[error("OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together")]
    PartialOidc,
    #[error("PORTAL_PUBLIC_URL must start with http:// or https://")]
    BadPublicUrl,
    #[error("production mode requires PORTAL_PUBLIC_URL to use https://")]
    InsecurePublicUrlInProduction,
    #[error("INVITATION_EXPIRY_DAYS must be a whole number of days from 1 to 365")]
    BadInvitationExpiry,
    #[error("CARECONNECT_URL must start with https:// (or http:// outside production)")]
    BadCareConnectUrl,
    #[error("COURSE_CALLBACK_SECRET and COURSE_CALLBACK_PREVIOUS_SECRET must have at least 32 characters")]
    WeakCallbackSecret,
    #[error("SIGN_INS_PER_ADDRESS_PER_MINUTE must be a whole number from 1 up")]
    BadSignInLimit,
    #[error("DATABASE_MAX_CONNECTIONS must be a whole number from 1 to 1000")]
    BadDatabaseConnections,
    #[error(
        "TRUSTED_PROXIES lists addresses or networks (like 127.0.0.1 or 10.0.0.0/8), not `{0}`"
    )]
    BadTrustedProxy(String),
    #[error("TRUSTED_PROXY_HEADER must be `X-Forwarded-For` or `Forwarded`")]
    BadProxyHeader,
    #[error("SESSION_IDLE_MINUTES must be a whole number of minutes from 3 to 720")]
    BadSessionIdle,
    #[error("MAIL_RETRY_SECONDS must be a whole number of seconds from 1 to 3600")]
    BadMailRetry,
    #[error("MAIL_SEND_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 600")]
    BadMailSendTimeout,
    #[error("METRICS_ADDR must be an address and port, e.g. 127.0.0.1:9100")]
    BadMetricsAddr,
    #[error("RETENTION_NOTIFICATION_DAYS must be a whole number of days from 1 to 3650, and RETENTION_LINK_DAYS one from 1 to 365")]
    BadRetention,
    #[error("LIVE_STREAMS_PER_ACCOUNT must be a whole number from 1 to 100, and LIVE_STREAMS_PER_SERVER one from 1 to 1000000")]
    BadLiveStreams,
    #[error("{0}_FILE: cannot read the file: {1}")]
    UnreadableSecretFile(&'static str, String),
    #[error("set {0} or {0}_FILE, not both")]
    SecretTwice(&'static str),
    #[error("production mode refuses SMTP_URL without TLS to another host: use smtps://, or smtp://…?tls=required, or a relay on this machine")]
    PlaintextSmtp,
    #[error("production mode refuses a PostgreSQL DATABASE_URL to another host that does not verify its certificate: add ?sslmode=verify-full")]
    UnverifiedDatabaseTls,
}

/// The host of a URL (`scheme://[user[:password]@]host[:port][/…][?…]`), without brackets.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    Some(match host_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next()?,
        None => host_port.split(':').next()?,
    })
}

fn on_this_machine(url: &str) -> bool {
    host_of(url).is_some_and(|host| {
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    })
}

/// Mail and the database leave this machine only over verified TLS (ASVS 12.3.1-2).
fn refuse_plaintext_in_production(
    smtp_url: Option<&str>,
    database_url: Option<&str>,
) -> Result<(), ConfigError> {
    if let Some(url) = smtp_url {
        let tls = url.starts_with("smtps://") || url.contains("tls=required");
        if !tls && !on_this_machine(url) {
            return Err(ConfigError::PlaintextSmtp);
        }
    }
    if let Some(url) = database_url.filter(|url| url.starts_with("postgres")) {
        let verified = url.contains("sslmode=verify-full") || url.contains("sslmode=verify-ca");
        if !verified && !on_this_machine(url) {
            return Err(ConfigError::UnverifiedDatabaseTls);
        }
    }
    Ok(())
}

/// A variable holding a whole number within `range`, or `default` when it is unset.
fn whole_number<N: std::str::FromStr + PartialOrd>(
    value: Option<String>,
    default: N,
    range: std::ops::RangeInclusive<N>,
    error: ConfigError,
) -> Result<N, ConfigError> {
    match value {
        None => Ok(default),
        Some(value) => value
            .trim()
            .parse()
            .ok()
            .filter(|number| range.contains(number))
            .ok_or(error),
    }
}

/// The settings that may hold a secret, each of which can instead be read from the file that
/// `NAME_FILE` names (systemd credentials, container secrets), so it never sits in the
/// environment or a unit file.
pub const SECRETS: [&str; 5] = [
    "DATABASE_URL",
    "SMTP_URL",
    "OIDC_CLIENT_SECRET",
    "COURSE_CALLBACK_SECRET",
    "COURSE_CALLBACK_PREVIOUS_SECRET",
];

/// The secrets given as `NAME_FILE`, read (a final line break dropped), by name.
pub fn secrets_from_files(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<std::collections::HashMap<&'static str, String>, ConfigError> {
    let mut secrets = std::collections::HashMap::new();
    for name in SECRETS {
        let Some(file) = lookup(&format!("{name}_FILE")) else {
            continue;
        };
        if lookup(name).is_some() {
            return Err(ConfigError::SecretTwice(name));
        }
        let value = std::fs::read_to_string(file.trim())
            .map_err(|error| ConfigError::UnreadableSecretFile(name, error.to_string()))?;
        secrets.insert(name, value.trim_end_matches(['\n', '\r']).to_owned());
    }
    Ok(secrets)
}

impl PortalConfig {
    pub fn from_env() -> Result<Self, ConfigError> {
        let variable = |name: &str| env::var(name).ok().filter(|value| !value.trim().is_empty());
        let secrets = secrets_from_files(variable)?;
        Self::from_lookup(|name| {
            secrets
                .get(name)
                .cloned()
                .filter(|value| !value.trim().is_empty())
                .or_else(|| variable(name))
        })
    }

    /// Builds the configuration from any variable source, so tests need not touch the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        // Production unless the operator chose development: a forgotten variable must never
        // switch the development tools on (DESIGN §6).
        let production = match lookup("PORTAL_ENV").as_deref() {
            None | Some("production") => true,
            Some("development") => false,
            Some(other) => return Err(ConfigError::UnknownEnvironment(other.to_owned())),
        };
        let public_url = lookup("PORTAL_PUBLIC_URL")
            .unwrap_or_else(|| "http://127.0.0.1:3000".to_owned())
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::BadPublicUrl);
        }
        let oidc = match (
            lookup("OIDC_ISSUER_URL"),
            lookup("OIDC_CLIENT_ID"),
            lookup("OIDC_CLIENT_SECRET"),
        ) {
            (Some(issuer_url), Some(client_id), Some(client_secret)) => Some(OidcSettings {
                issuer_url,
                client_id,
                client_secret: client_secret.into(),
            }),
            (None, None, None) => None,
            _ => return Err(ConfigError::PartialOidc),
        };
        let smtp_url = lookup("SMTP_URL");
        if !production {
            // Development tools vouch for any identity and show every email: they may exist
            // only where nothing real is configured.
            if oidc.is_some() {
                return Err(ConfigError::DevelopmentWithRealService("OIDC_ISSUER_URL"));
            }
            if smtp_url.is_some() {
                return Err(ConfigError::DevelopmentWithRealService("SMTP_URL"));
            }
            if public_url.starts_with("https://") {
                return Err(ConfigError::DevelopmentWithHttps);
            }
        }
        if production {
            if oidc.is_none() {
                return Err(ConfigError::MissingInProduction("OIDC_ISSUER_URL"));
            }
            if smtp_url.is_none() {
                return Err(ConfigError::MissingInProduction("SMTP_URL"));
            }
            if !public_url.starts_with("https://") {
                return Err(ConfigError::InsecurePublicUrlInProduction);
            }
        }
        if production {
            refuse_plaintext_in_production(smtp_url.as_deref(), lookup("DATABASE_URL").as_deref())?;
        }
        let invitation_days = whole_number(
            lookup("INVITATION_EXPIRY_DAYS"),
            DEFAULT_INVITATION_DAYS,
            1..=365,
            ConfigError::BadInvitationExpiry,
        )?;
        let careconnect_url = lookup("CARECONNECT_URL");
        if let Some(url) = &careconnect_url {
            let secure = url.starts_with("https://");
            if !(secure || (!production && url.starts_with("http://"))) {
                return Err(ConfigError::BadCareConnectUrl);
            }
        }
        let course_callback_secret = lookup("COURSE_CALLBACK_SECRET");
        if course_callback_secret
            .as_ref()
            .is_some_and(|secret| secret.trim().chars().count() < 32)
        {
            return Err(ConfigError::WeakCallbackSecret);
        }
        let course_callback_secret = course_callback_secret.map(SecretString::from);
        let course_callback_previous_secret = lookup("COURSE_CALLBACK_PREVIOUS_SECRET");
        if course_callback_previous_secret
            .as_ref()
            .is_some_and(|secret| secret.trim().chars().count() < 32)
        {
            return Err(ConfigError::WeakCallbackSecret);
        }
        let course_callback_previous_secret =
            course_callback_previous_secret.map(SecretString::from);
        let sign_ins_per_address_per_minute = whole_number(
            lookup("SIGN_INS_PER_ADDRESS_PER_MINUTE"),
            DEFAULT_SIGN_INS_PER_ADDRESS,
            1..=u32::MAX,
            ConfigError::BadSignInLimit,
        )?;
        let database_max_connections = whole_number(
            lookup("DATABASE_MAX_CONNECTIONS"),
            DEFAULT_DATABASE_CONNECTIONS,
            1..=1000,
            ConfigError::BadDatabaseConnections,
        )?;
        let session_idle_minutes = whole_number(
            lookup("SESSION_IDLE_MINUTES"),
            DEFAULT_SESSION_IDLE_MINUTES,
            3..=720,
            ConfigError::BadSessionIdle,
        )?;
        let mail_retry_seconds = whole_number(
            lookup("MAIL_RETRY_SECONDS"),
            DEFAULT_MAIL_RETRY_SECONDS,
            1..=3600,
            ConfigError::BadMailRetry,
        )?;
        let mail_send_timeout_seconds = whole_number(
            lookup("MAIL_SEND_TIMEOUT_SECONDS"),
            DEFAULT_MAIL_SEND_TIMEOUT_SECONDS,
            1..=600,
            ConfigError::BadMailSendTimeout,
        )?;
        let retention = super::retention::Retention {
            notification_days: whole_number(
                lookup("RETENTION_NOTIFICATION_DAYS"),
                super::retention::DEFAULT_NOTIFICATION_DAYS,
                1..=3650,
                ConfigError::BadRetention,
            )?,
            link_days: whole_number(
                lookup("RETENTION_LINK_DAYS"),
                super::retention::DEFAULT_LINK_DAYS,
                1..=365,
                ConfigError::BadRetention,
            )?,
        };
        let metrics_addr = lookup("METRICS_ADDR")
            .map(|addr| addr.trim().parse().map_err(|_| ConfigError::BadMetricsAddr))
            .transpose()?;
        let live_streams = crate::notifications::live::StreamLimits {
            per_account: whole_number(
                lookup("LIVE_STREAMS_PER_ACCOUNT"),
                DEFAULT_LIVE_STREAMS_PER_ACCOUNT,
                1..=100,
                ConfigError::BadLiveStreams,
            )?,
            per_server: whole_number(
                lookup("LIVE_STREAMS_PER_SERVER"),
                DEFAULT_LIVE_STREAMS_PER_SERVER,
                1..=1_000_000,
                ConfigError::BadLiveStreams,
            )?,
        };
        let proxy_header = match lookup("TRUSTED_PROXY_HEADER") {
            None => ForwardingHeader::default(),
            Some(name) => ForwardingHeader::parse(&name).ok_or(ConfigError::BadProxyHeader)?,
        };
        let trusted_proxies =
            TrustedProxies::parse(&lookup("TRUSTED_PROXIES").unwrap_or_default(), proxy_header)
                .map_err(ConfigError::BadTrustedProxy)?;
        Ok(Self {
            database_url: lookup("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://data/portal.db?mode=rwc".to_owned())
                .into(),
            database_max_connections,
            public_url,
            production,
            smtp_url: smtp_url.map(SecretString::from),
            mail_from: lookup("MAIL_FROM")
                .unwrap_or_else(|| "my.CareConnect <no-reply@localhost>".to_owned()),
            oidc,
            address_file: lookup("ADDRESS_FILE"),
            invitation_days,
            careconnect_url,
            course_callback_secret,
            course_callback_previous_secret,
            sign_ins_per_address_per_minute,
            trusted_proxies,
            session_idle_minutes,
            mail_retry_seconds,
            mail_send_timeout_seconds,
            metrics_addr,
            retention,
            live_streams,
        })
    }

    /// The development identity provider, mailbox and CareConnect stand-in exist only in the
    /// development mode chosen explicitly (`from_lookup` refuses it beside anything real).
    pub fn development_tools_enabled(&self) -> bool {
        !self.production
    }

    /// Where "Open CareConnect" leads: the configured viewer, or the development stand-in.
    pub fn careconnect_entry(&self) -> Option<String> {
        self.careconnect_url.clone().or_else(|| {
            self.development_tools_enabled()
                .then(|| self.link("/dev/careconnect"))
        })
    }

    /// The domain of `MAIL_FROM`'s address, which names every message's `Message-ID`.
    pub fn mail_domain(&self) -> String {
        let address = self.mail_from.trim().trim_end_matches('>');
        address
            .rsplit_once('@')
            .map(|(_, domain)| domain.trim())
            .filter(|domain| !domain.is_empty())
            .unwrap_or("localhost")
            .to_owned()
    }

    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{}", self.public_url, path_and_query)
    }

    /// A configuration for tests and tools: development mode, no SMTP, no OIDC.
    pub fn for_tests(database_url: &str) -> Self {
        Self {
            database_url: database_url.to_owned().into(),
            database_max_connections: DEFAULT_DATABASE_CONNECTIONS,
            public_url: "http://127.0.0.1:3000".to_owned(),
            production: false,
            smtp_url: None,
            mail_from: "my.CareConnect <no-reply@localhost>".to_owned(),
            oidc: None,
            address_file: None,
            invitation_days: DEFAULT_INVITATION_DAYS,
            careconnect_url: None,
            course_callback_secret: None,
            course_callback_previous_secret: None,
            sign_ins_per_address_per_minute: DEFAULT_SIGN_INS_PER_ADDRESS,
            trusted_proxies: TrustedProxies::default(),
            session_idle_minutes: DEFAULT_SESSION_IDLE_MINUTES,
            mail_retry_seconds: DEFAULT_MAIL_RETRY_SECONDS,
            mail_send_timeout_seconds: DEFAULT_MAIL_SEND_TIMEOUT_SECONDS,
            metrics_addr: None,
            retention: Default::default(),
            live_streams: crate::notifications::live::StreamLimits::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<PortalConfig, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        PortalConfig::from_lookup(|name| vars.get(name).cloned())
    }

    const DEVELOPMENT: (&str, &str) = ("PORTAL_ENV", "development");

    #[test]
    fn without_portal_env_the_portal_is_in_production_mode() {
        assert_eq!(
            config(&[]).unwrap_err(),
            ConfigError::MissingInProduction("OIDC_ISSUER_URL")
        );
        let configured = config(&[
            ("OIDC_ISSUER_URL", "https://id.example"),
            ("OIDC_CLIENT_ID", "portal"),
            ("OIDC_CLIENT_SECRET", "secret"),
            ("SMTP_URL", "smtps://mail.example"),
            ("PORTAL_PUBLIC_URL", "https://portal.example"),
        ])
        .unwrap();
        assert!(configured.production);
        assert!(!configured.development_tools_enabled());
        assert_eq!(configured.careconnect_entry(), None);
    }

    #[test]
    fn development_is_refused_beside_a_real_identity_provider_smtp_server_or_https() {
        let oidc = [
            DEVELOPMENT,
            ("OIDC_ISSUER_URL", "https://id.example"),
            ("OIDC_CLIENT_ID", "portal"),
            ("OIDC_CLIENT_SECRET", "secret"),
        ];
        assert_eq!(
            config(&oidc).unwrap_err(),
            ConfigError::DevelopmentWithRealService("OIDC_ISSUER_URL")
        );
        assert_eq!(
            config(&[DEVELOPMENT, ("SMTP_URL", "smtp://127.0.0.1:2525")]).unwrap_err(),
            ConfigError::DevelopmentWithRealService("SMTP_URL")
        );
        assert_eq!(
            config(&[DEVELOPMENT, ("PORTAL_PUBLIC_URL", "https://portal.example")]).unwrap_err(),
            ConfigError::DevelopmentWithHttps
        );
        for refusal in [
            ConfigError::DevelopmentWithRealService("SMTP_URL"),
            ConfigError::DevelopmentWithHttps,
            ConfigError::MissingInProduction("SMTP_URL"),
        ] {
            let line = refusal.to_string();
            assert!(!line.contains('\n'), "{line}");
            assert!(line.contains("PORTAL_ENV"), "{line}");
        }
    }

    #[test]
    fn chosen_development_is_the_embedded_setup() {
        let config = config(&[DEVELOPMENT]).unwrap();
        assert!(!config.production);
        assert_eq!(config.public_url, "http://127.0.0.1:3000");
        assert_eq!(
            config.database_url.expose_secret(),
            "sqlite://data/portal.db?mode=rwc"
        );
        assert!(config.oidc.is_none() && config.smtp_url.is_none());
        assert!(config.development_tools_enabled());
    }

    #[test]
    fn production_refuses_to_run_without_oidc_smtp_and_https() {
        assert_eq!(
            config(&[("PORTAL_ENV", "production")]).unwrap_err(),
            ConfigError::MissingInProduction("OIDC_ISSUER_URL")
        );
        let oidc = [
            ("PORTAL_ENV", "production"),
            ("OIDC_ISSUER_URL", "https://id.example"),
            ("OIDC_CLIENT_ID", "portal"),
            ("OIDC_CLIENT_SECRET", "secret"),
        ];
        assert_eq!(
            config(&oidc).unwrap_err(),
            ConfigError::MissingInProduction("SMTP_URL")
        );
        let mut full = oidc.to_vec();
        full.push(("SMTP_URL", "smtps://mail.example"));
        assert_eq!(
            config(&full).unwrap_err(),
            ConfigError::InsecurePublicUrlInProduction
        );
        full.push(("PORTAL_PUBLIC_URL", "https://portal.example/"));
        let config = config(&full).unwrap();
        assert!(!config.development_tools_enabled());
        assert_eq!(config.link("/x"), "https://portal.example/x");
    }

    #[test]
    fn the_database_pool_size_is_a_bounded_number() {
        assert_eq!(config(&[DEVELOPMENT]).unwrap().database_max_connections, 16);
        let four = config(&[DEVELOPMENT, ("DATABASE_MAX_CONNECTIONS", " 4 ")]).unwrap();
        assert_eq!(four.database_max_connections, 4);
        for bad in ["0", "many", "-1", "1001"] {
            assert_eq!(
                config(&[DEVELOPMENT, ("DATABASE_MAX_CONNECTIONS", bad)]).unwrap_err(),
                ConfigError::BadDatabaseConnections
            );
        }
    }

    #[test]
    fn invitation_expiry_is_a_number_of_days() {
        assert_eq!(config(&[DEVELOPMENT]).unwrap().invitation_days, 14);
        assert_eq!(
            config(&[DEVELOPMENT, ("INVITATION_EXPIRY_DAYS", "30")])
                .unwrap()
                .invitation_days,
            30
        );
        for bad in ["0", "two", "-3", "1000"] {
            assert_eq!(
                config(&[DEVELOPMENT, ("INVITATION_EXPIRY_DAYS", bad)]).unwrap_err(),
                ConfigError::BadInvitationExpiry
            );
        }
    }

    #[test]
    fn careconnect_opens_the_configured_viewer_or_the_development_stand_in() {
        assert_eq!(
            config(&[DEVELOPMENT])
                .unwrap()
                .careconnect_entry()
                .as_deref(),
            Some("http://127.0.0.1:3000/dev/careconnect")
        );
        let configured =
            config(&[DEVELOPMENT, ("CARECONNECT_URL", "https://viewer.example/")]).unwrap();
        assert_eq!(
            configured.careconnect_entry().as_deref(),
            Some("https://viewer.example/")
        );
        assert_eq!(
            config(&[DEVELOPMENT, ("CARECONNECT_URL", "viewer.example")]).unwrap_err(),
            ConfigError::BadCareConnectUrl
        );
    }

    #[test]
    fn the_course_callback_secret_is_long_or_absent() {
        assert!(config(&[DEVELOPMENT])
            .unwrap()
            .course_callback_secret
            .is_none());
        assert_eq!(
            config(&[DEVELOPMENT, ("COURSE_CALLBACK_SECRET", "short")]).unwrap_err(),
            ConfigError::WeakCallbackSecret
        );
        let secret = "a".repeat(32);
        let configured = config(&[DEVELOPMENT, ("COURSE_CALLBACK_SECRET", &secret)]).unwrap();
        assert_eq!(
            configured
                .course_callback_secret
                .as_ref()
                .map(|s| s.expose_secret()),
            Some(secret.as_str())
        );
    }

    #[test]
    fn debug_output_never_shows_a_secret() {
        let configured = config(&[
            ("OIDC_ISSUER_URL", "https://id.example"),
            ("OIDC_CLIENT_ID", "portal"),
            ("OIDC_CLIENT_SECRET", "the-client-secret"),
            ("SMTP_URL", "smtps://mail:the-mail-password@mail.example"),
            ("PORTAL_PUBLIC_URL", "https://portal.example"),
            (
                "DATABASE_URL",
                "postgres://portal:the-db-password@db/portal?sslmode=verify-full",
            ),
            ("COURSE_CALLBACK_SECRET", &"the-callback-secret-".repeat(2)),
        ])
        .unwrap();
        let shown = format!("{configured:?}");
        for secret in [
            "the-client-secret",
            "the-mail-password",
            "the-db-password",
            "the-callback-secret",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("https://portal.example"), "{shown}");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks_and_none_by_default() {
        assert!(config(&[DEVELOPMENT]).unwrap().trusted_proxies.is_empty());
        let trusting = config(&[DEVELOPMENT, ("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")]);
        assert!(!trusting.unwrap().trusted_proxies.is_empty());
        assert_eq!(
            config(&[DEVELOPMENT, ("TRUSTED_PROXIES", "127.0.0.1, proxy.local")]).unwrap_err(),
            ConfigError::BadTrustedProxy("proxy.local".to_owned())
        );
        assert_eq!(
            config(&[DEVELOPMENT, ("TRUSTED_PROXY_HEADER", "X-Real-IP")]).unwrap_err(),
            ConfigError::BadProxyHeader
        );
    }

    #[test]
    fn sessions_idle_out_after_thirty_minutes_unless_set_to_three_or_more() {
        assert_eq!(config(&[DEVELOPMENT]).unwrap().session_idle_minutes, 30);
        let short = config(&[DEVELOPMENT, ("SESSION_IDLE_MINUTES", "3")]).unwrap();
        assert_eq!(short.session_idle_minutes, 3);
        for refused in ["2", "721", "ten"] {
            assert_eq!(
                config(&[DEVELOPMENT, ("SESSION_IDLE_MINUTES", refused)]).unwrap_err(),
                ConfigError::BadSessionIdle
            );
        }
    }

    #[test]
    fn secrets_can_be_read_from_files_but_not_given_twice() {
        let dir = std::env::temp_dir().join(format!("portal-secrets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("smtp_url");
        std::fs::write(&file, "smtps://user:pass@mail.example\n").unwrap();
        let path = file.display().to_string();
        let lookup = |vars: &[(&str, &str)]| {
            let vars: HashMap<String, String> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            move |name: &str| vars.get(name).cloned()
        };
        let read = secrets_from_files(lookup(&[("SMTP_URL_FILE", &path)])).unwrap();
        assert_eq!(read["SMTP_URL"], "smtps://user:pass@mail.example");
        assert_eq!(
            secrets_from_files(lookup(&[
                ("SMTP_URL_FILE", &path),
                ("SMTP_URL", "smtp://x")
            ]))
            .unwrap_err(),
            ConfigError::SecretTwice("SMTP_URL")
        );
        assert!(matches!(
            secrets_from_files(lookup(&[(
                "OIDC_CLIENT_SECRET_FILE",
                "/nonexistent/secret"
            )]))
            .unwrap_err(),
            ConfigError::UnreadableSecretFile("OIDC_CLIENT_SECRET", _)
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn mail_retries_and_live_streams_have_bounded_settings() {
        let defaults = config(&[DEVELOPMENT]).unwrap();
        assert_eq!(defaults.mail_retry_seconds, 30);
        assert_eq!(defaults.mail_send_timeout_seconds, 60);
        assert_eq!(defaults.metrics_addr, None);
        assert_eq!(defaults.retention.notification_days, 180);
        assert_eq!(defaults.retention.link_days, 30);
        assert_eq!(defaults.live_streams.per_account, 8);
        assert_eq!(defaults.live_streams.per_server, 10_000);
        let set = config(&[
            DEVELOPMENT,
            ("MAIL_RETRY_SECONDS", "1"),
            ("MAIL_SEND_TIMEOUT_SECONDS", "5"),
            ("METRICS_ADDR", "127.0.0.1:9100"),
            ("RETENTION_NOTIFICATION_DAYS", "90"),
            ("RETENTION_LINK_DAYS", "7"),
            ("LIVE_STREAMS_PER_ACCOUNT", "3"),
            ("LIVE_STREAMS_PER_SERVER", "500"),
        ])
        .unwrap();
        assert_eq!(set.mail_retry_seconds, 1);
        assert_eq!(set.mail_send_timeout_seconds, 5);
        assert_eq!(set.metrics_addr, Some(([127, 0, 0, 1], 9100).into()));
        assert_eq!(set.retention.notification_days, 90);
        assert_eq!(set.retention.link_days, 7);
        assert_eq!(
            config(&[DEVELOPMENT, ("RETENTION_LINK_DAYS", "0")]).unwrap_err(),
            ConfigError::BadRetention
        );
        assert_eq!(
            config(&[DEVELOPMENT, ("METRICS_ADDR", "localhost")]).unwrap_err(),
            ConfigError::BadMetricsAddr
        );
        assert_eq!(set.live_streams.per_account, 3);
        assert_eq!(set.live_streams.per_server, 500);
        for refused in ["0", "3601", "soon"] {
            assert_eq!(
                config(&[DEVELOPMENT, ("MAIL_RETRY_SECONDS", refused)]).unwrap_err(),
                ConfigError::BadMailRetry
            );
        }
        for refused in ["0", "601", "soon"] {
            assert_eq!(
                config(&[DEVELOPMENT, ("MAIL_SEND_TIMEOUT_SECONDS", refused)]).unwrap_err(),
                ConfigError::BadMailSendTimeout
            );
        }
        for (name, refused) in [
            ("LIVE_STREAMS_PER_ACCOUNT", "0"),
            ("LIVE_STREAMS_PER_ACCOUNT", "101"),
            ("LIVE_STREAMS_PER_SERVER", "0"),
            ("LIVE_STREAMS_PER_SERVER", "many"),
        ] {
            assert_eq!(
                config(&[DEVELOPMENT, (name, refused)]).unwrap_err(),
                ConfigError::BadLiveStreams
            );
        }
    }

    #[test]
    fn production_sends_mail_and_reaches_the_database_over_verified_tls_only() {
        let production = |smtp: &str, database: &str| {
            config(&[
                ("OIDC_ISSUER_URL", "https://id.example"),
                ("OIDC_CLIENT_ID", "portal"),
                ("OIDC_CLIENT_SECRET", "secret"),
                ("PORTAL_PUBLIC_URL", "https://portal.example"),
                ("SMTP_URL", smtp),
                ("DATABASE_URL", database),
            ])
        };
        let sqlite = "sqlite://data/portal.db?mode=rwc";
        assert_eq!(
            production("smtp://mail.example:25", sqlite).unwrap_err(),
            ConfigError::PlaintextSmtp
        );
        for fine in [
            "smtps://user:pw@mail.example",
            "smtp://mail.example:587?tls=required",
            "smtp://127.0.0.1:2525",
            "smtp://localhost:25",
            "smtp://[::1]:25",
        ] {
            assert!(production(fine, sqlite).is_ok(), "{fine}");
        }
        let mail = "smtps://mail.example";
        assert_eq!(
            production(mail, "postgres://portal:pw@db.example/portal").unwrap_err(),
            ConfigError::UnverifiedDatabaseTls
        );
        for fine in [
            "postgres://portal:pw@db.example/portal?sslmode=verify-full",
            "postgres://portal@127.0.0.1:5432/portal",
            sqlite,
        ] {
            assert!(production(mail, fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn partial_oidc_settings_are_an_error() {
        assert_eq!(
            config(&[("OIDC_ISSUER_URL", "https://id.example")]).unwrap_err(),
            ConfigError::PartialOidc
        );
    }
}
