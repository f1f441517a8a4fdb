//! Lists an administrator works through a numbered page at a time ("Users Requesting Access",
//! "Invites Awaiting Response"): short enough to count in full, and read by offset. The member
//! lists, which may hold 100 000 people, page by key instead (`memberships::listing`).

use serde::{Deserialize, Serialize};

/// One page of such a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedPage<T> {
    pub items: Vec<T>,
    /// Everything the list holds.
    pub total: u64,
    /// Zero-based; the last page when the one asked for is past the end (its last item was just
    /// handled).
    pub page: u64,
    pub per_page: u64,
}

impl<T> NumberedPage<T> {
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }

    pub fn has_previous(&self) -> bool {
        self.page > 0
    }

    pub fn has_next(&self) -> bool {
        self.page + 1 < self.page_count()
    }

    /// The same page, each item made into another.
    pub fn map<U>(self, each: impl FnMut(T) -> U) -> NumberedPage<U> {
        NumberedPage {
            items: self.items.into_iter().map(each).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// "Page 2 of 3 (23 people waiting)", given what one and several items are called.
    pub fn position(&self, one: &str, several: &str) -> String {
        let what = match self.total {
            1 => format!("1 {one}"),
            total => format!("{total} {several}"),
        };
        format!("Page {} of {} ({what})", self.page + 1, self.page_count())
    }
}

/// Reads page `page` (zero-based) of `list`, `per_page` items a page, after counting it (SeaORM's
/// paginator: a count, then the page by offset); a page past the end reads the last one.
#[cfg(feature = "ssr")]
pub async fn read_page<'db, C, L>(
    conn: &'db C,
    list: L,
    page: u64,
    per_page: u64,
) -> Result<NumberedPage<<L::Selector as sea_orm::SelectorTrait>::Item>, sea_orm::DbErr>
where
    C: sea_orm::ConnectionTrait,
    L: sea_orm::PaginatorTrait<'db, C>,
{
    let pages = list.paginate(conn, per_page);
    let total = pages.num_items().await?;
    let page = page.min(total.saturating_sub(1) / per_page.max(1));
    Ok(NumberedPage {
        items: pages.fetch_page(page).await?,
        total,
        page,
        per_page,
    })
}
