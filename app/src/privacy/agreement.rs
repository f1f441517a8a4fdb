//! The text of the Healthcare Practitioner CareConnect Access Agreement. A new text gets a new
//! version, which everyone who must sign signs again.

pub const HPCAA_TITLE: &str = "Healthcare Practitioner CareConnect Access Agreement";
pub const HPCAA_VERSION: &str = "2026.1";

/// The agreement's sections: a heading and its paragraphs.
pub const HPCAA_SECTIONS: &[(&str, &[&str])] = &[
    (
        "1. Purpose",
        &[
            "CareConnect is a read-only viewer of patients' provincial health records, provided by the Provincial Health Services Authority (PHSA) on behalf of the British Columbia Ministry of Health. This agreement sets out the conditions on which you, a health care practitioner in a community-based worksite, may access CareConnect, and on which the On-Behalf-Of users you sponsor may access it on your behalf.",
        ],
    ),
    (
        "2. Use for direct patient care only",
        &[
            "You will access CareConnect only to provide, or support the provision of, direct care to a patient with whom you have a care relationship, and only the information you need for that care.",
            "You will not access records of yourself, your family, friends, colleagues or any other person out of curiosity or for any purpose other than their care.",
        ],
    ),
    (
        "3. Confidentiality and security",
        &[
            "You will keep the information you see in CareConnect confidential, in accordance with the Freedom of Information and Protection of Privacy Act, the Personal Information Protection Act and your professional obligations.",
            "You will keep your credentials to yourself, sign in only from the worksite for which access was granted, lock or sign out of your device when you leave it, and never copy, print or store CareConnect information except in the patient's own record at your worksite.",
        ],
    ),
    (
        "4. On-Behalf-Of users",
        &[
            "If you are an Authorizer, you may sponsor On-Behalf-Of users (for example, medical office assistants) of your worksite. They see CareConnect as you would. You will sponsor only people who work under your supervision and need that access, ensure they complete the Privacy & Security course, and revoke the sponsorship as soon as they no longer need it.",
        ],
    ),
    (
        "5. Training, audit and breaches",
        &[
            "You will complete the CareConnect Private Practice Privacy and Security course before you access CareConnect.",
            "You acknowledge that every access to CareConnect is logged and may be audited, including by the worksite from which it was made.",
            "You will report any actual or suspected privacy breach involving CareConnect to PHSA (private.careconnect@phsa.ca) immediately.",
        ],
    ),
    (
        "6. Ending access",
        &[
            "Your access, and the access of those you sponsor, may be suspended or ended if this agreement is not followed. It ends when you are no longer an active member of the worksite from which it was granted.",
        ],
    ),
];

pub const DECLARATION_TITLE: &str = "Site-Level Privacy & Security Declaration";
pub const DECLARATION_VERSION: &str = "2026.1";

/// What the person with signing authority declares for the worksite.
pub const DECLARATION_STATEMENTS: &[&str] = &[
    "The worksite has a privacy officer or a person responsible for privacy, and written privacy and security policies that its staff follow.",
    "Everyone at the worksite who will access CareConnect completes the CareConnect Private Practice Privacy and Security course first, and uses CareConnect only for the direct care of patients of the worksite.",
    "Devices used to access CareConnect are kept up to date, protected by a password or passcode, and locked when left unattended; credentials are never shared.",
    "The worksite tells its Group / Site Administrators at once when a person leaves or no longer needs access, so that they are set inactive in the portal.",
    "The worksite reports any actual or suspected privacy breach involving CareConnect to PHSA (private.careconnect@phsa.ca) immediately, and cooperates with any audit of CareConnect access made from it.",
];
