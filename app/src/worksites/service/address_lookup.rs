//! Address suggestions while registering a worksite. `AddressLookup` is the seam where a real
//! address validation service (Canada Post AddressComplete or similar) plugs in; the built-in
//! lookup offers the addresses of registered worksites and of an optional reference file
//! (`ADDRESS_FILE`, CSV `unit,street,city,postal_code`) loaded at start-up.

use super::search::{prefix_end, query_words, search_rows, words};
use crate::error::AppError;
use crate::worksites::types::{normalize_postal_code, AddressSuggestion};
use sea_orm::DatabaseConnection;
use std::collections::{BTreeMap, BTreeSet};

pub const MAX_SUGGESTIONS: usize = 8;

#[async_trait::async_trait]
pub trait AddressLookup: Send + Sync {
    async fn suggest(
        &self,
        db: &DatabaseConnection,
        query: &str,
    ) -> Result<Vec<AddressSuggestion>, AppError>;
}

/// Addresses from a reference file, with an in-memory term index (term → address numbers).
#[derive(Debug, Default)]
pub struct ReferenceAddresses {
    addresses: Vec<AddressSuggestion>,
    terms: BTreeMap<String, BTreeSet<usize>>,
}

impl ReferenceAddresses {
    /// Parses the CSV file; a malformed row is reported with its line number and nothing loads.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut reference = ReferenceAddresses::default();
        for (index, record) in reader.records().enumerate() {
            let line = index + 2;
            let record = record.map_err(|e| format!("line {line}: {e}"))?;
            let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
            let (street, city) = (field(1), field(2));
            if street.is_empty() || city.is_empty() {
                return Err(format!("line {line}: street and city are required"));
            }
            let postal_code = normalize_postal_code(&field(3))
                .map_err(|_| format!("line {line}: `{}` is not a postal code", field(3)))?;
            reference.add(AddressSuggestion {
                unit: Some(field(0)).filter(|unit| !unit.is_empty()),
                street,
                city,
                postal_code,
            });
        }
        Ok(reference)
    }

    pub fn load(path: &str) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        Self::parse(&text).map_err(|e| format!("{path}: {e}"))
    }

    fn add(&mut self, address: AddressSuggestion) {
        let number = self.addresses.len();
        let compact_postal = address.postal_code.replace(' ', "").to_ascii_lowercase();
        let text = format!(
            "{} {} {} {}",
            address.unit.as_deref().unwrap_or_default(),
            address.street,
            address.city,
            address.postal_code
        );
        for term in words(&text).chain(std::iter::once(compact_postal)) {
            self.terms.entry(term).or_default().insert(number);
        }
        self.addresses.push(address);
    }

    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }

    /// Addresses having, for every word, a term starting with it.
    pub fn search(&self, query: &str) -> Vec<AddressSuggestion> {
        let mut matching: Option<BTreeSet<usize>> = None;
        for word in query_words(query) {
            let with_word: BTreeSet<usize> = self
                .terms
                .range(word.clone()..prefix_end(&word))
                .flat_map(|(_, numbers)| numbers.iter().copied())
                .collect();
            matching = Some(match matching {
                Some(so_far) => so_far.intersection(&with_word).copied().collect(),
                None => with_word,
            });
        }
        matching
            .unwrap_or_default()
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|number| self.addresses[number].clone())
            .collect()
    }
}

pub struct BuiltInAddressLookup {
    pub reference: ReferenceAddresses,
}

#[async_trait::async_trait]
impl AddressLookup for BuiltInAddressLookup {
    async fn suggest(
        &self,
        db: &DatabaseConnection,
        query: &str,
    ) -> Result<Vec<AddressSuggestion>, AppError> {
        let registered = search_rows(db, query)
            .await?
            .into_iter()
            .map(|row| AddressSuggestion {
                unit: row.unit,
                street: row.street,
                city: row.city,
                postal_code: row.postal_code,
            });
        let mut seen = BTreeSet::new();
        Ok(registered
            .chain(self.reference.search(query))
            .filter(|address| seen.insert(address.address().display()))
            .take(MAX_SUGGESTIONS)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "unit,street,city,postal_code\n\
        101,1234 Barclay St,Vancouver,v6e1h4\n\
        ,1795 Willingdon Ave,Burnaby,V5C 6E3\n\
        ,227 Eighth Ave,New Westminster,V3L 1Y1\n";

    #[test]
    fn reference_addresses_are_found_by_any_words_prefix() {
        let reference = ReferenceAddresses::parse(FILE).unwrap();
        assert_eq!(reference.len(), 3);
        let found = reference.search("1234 barc");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].unit.as_deref(), Some("101"));
        assert_eq!(found[0].postal_code, "V6E 1H4");
        assert_eq!(reference.search("v5c6e3")[0].city, "Burnaby");
        assert_eq!(reference.search("new west eighth").len(), 1);
        assert!(reference.search("barclay burnaby").is_empty());
    }

    #[test]
    fn a_malformed_row_names_its_line_and_nothing_loads() {
        let bad = "unit,street,city,postal_code\n,1 Main St,Victoria,V8W 1A1\n,2 Main St,Victoria,12345\n";
        assert_eq!(
            ReferenceAddresses::parse(bad).unwrap_err(),
            "line 3: `12345` is not a postal code"
        );
        let missing = "unit,street,city,postal_code\n,,Victoria,V8W 1A1\n";
        assert!(ReferenceAddresses::parse(missing)
            .unwrap_err()
            .starts_with("line 2:"));
    }
}
