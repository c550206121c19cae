import StreamDashboard
import Testing

/// SQL over the latest batches: views are replaced whole, and only reading is allowed.
@Suite("SQL views")
struct SQLViewTests {
    let tags = [SQLViews.Column("tag", .text), SQLViews.Column("count", .integer)]

    @Test func aViewIsReplacedByEachBatch() throws {
        let views = try SQLViews()
        try views.replace(
            view: "tweets", columns: tags, rows: [[.text("#spark"), .integer(3)], [.text("#kafka"), .integer(2)]])
        try views.replace(view: "tweets", columns: tags, rows: [[.text("#swift"), .integer(5)]])

        let answer = try views.query("SELECT tag, count FROM tweets ORDER BY count DESC LIMIT 10")
        #expect(answer.columns == ["tag", "count"])
        #expect(answer.rows == [[.text("#swift"), .integer(5)]], "the previous batch's rows are gone")
    }

    @Test(arguments: [
        "DROP TABLE tweets",
        "INSERT INTO tweets VALUES ('#x', 1)",
        "DELETE FROM tweets",
        "CREATE TABLE other (a)",
        "ATTACH DATABASE '/tmp/other.db' AS other",
        "PRAGMA journal_mode = WAL",
        "SELECT 1; DROP TABLE tweets",
    ])
    func anythingThatWouldWriteIsRefused(query: String) throws {
        let views = try SQLViews()
        try views.replace(view: "tweets", columns: tags, rows: [[.text("#spark"), .integer(3)]])

        #expect { try views.query(query) } throws: { error in (error as? SQLViews.QueryError)?.isClientError == true }
        #expect(try views.query("SELECT count(*) FROM tweets").rows == [[.integer(1)]], "the view still answers")
    }

    @Test func answersAreBoundedInRowsAndTime() throws {
        let views = try SQLViews(rowLimit: 3, timeLimit: .milliseconds(200))
        let numbers = try views.query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 10) SELECT i FROM n")
        #expect(numbers.rows.count == 3)
        #expect(numbers.truncated)

        let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        #expect { try views.query(endless) } throws: { error in
            (error as? SQLViews.QueryError).map { $0.isClientError && $0.description.contains("longer than") } == true
        }
    }

    @Test func invalidSQLIsTheCallersError() throws {
        let views = try SQLViews()
        #expect { try views.query("SELEC tag FROM tweets") } throws: { error in
            (error as? SQLViews.QueryError)?.isClientError == true
        }
        #expect { try views.query("SELECT tag FROM missing") } throws: { error in
            (error as? SQLViews.QueryError)?.isClientError == true
        }
    }
}
