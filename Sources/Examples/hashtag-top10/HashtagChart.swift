import StreamCore

/// The terminal view of a top-10: a ranked table with a horizontal bar per hashtag.
enum HashtagChart {
    static func render(_ top: [(Word, Int)], time: BatchTime, window: Duration, barWidth: Int = 40) -> String {
        var lines = ["", "Top hashtags, window of \(window) ending at \(time)"]
        guard let highest = top.first?.1, highest > 0 else {
            return (lines + ["  (no hashtags in this window)"]).joined(separator: "\n")
        }
        let nameWidth = max(8, top.map(\.0.text.count).max() ?? 0)
        lines.append("  #  " + "hashtag".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  count")
        for (rank, (tag, count)) in top.enumerated() {
            let bar = String(repeating: "█", count: max(1, count * barWidth / highest))
            let name = tag.text.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let number = String(count).leftPadded(to: 5)
            lines.append("\(String(rank + 1).leftPadded(to: 3))  \(name)  \(number)  \(bar)")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
