import Foundation
import StreamCore
import StreamTestSupport
import Testing

@Suite("Output operations")
struct OutputTests {
    @Test func printUsesSparksConsoleFormat() async throws {
        let text = BatchLog<String>()
        _ = try await replay([[("#swift", 3), ("#ios", 1)], []]) { counts in
            try counts.sorted { $0.0 < $1.0 }.print(1) { text.append([$0]) }
            return counts
        }
        #expect(
            text.batches.flatMap { $0 } == [
                "-------------------------------------------\nTime: 1000 ms\n-------------------------------------------\n(#ios,1)\n...\n\n",
                "-------------------------------------------\nTime: 2000 ms\n-------------------------------------------\n\n",
            ])
    }

    @Test func saveAsTextFilesWritesOneFilePerBatchEvenWhenEmpty() async throws {
        let directory = temporaryDirectory()
        _ = try await replay([["a", "b"], []]) { lines in
            try lines.saveAsTextFiles(prefix: directory + "/words", suffix: "txt")
            return lines
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files == ["words-1000.txt", "words-2000.txt"])
        #expect(try String(contentsOfFile: directory + "/words-1000.txt", encoding: .utf8) == "a\nb\n")
        #expect(try String(contentsOfFile: directory + "/words-2000.txt", encoding: .utf8) == "")
    }
}
