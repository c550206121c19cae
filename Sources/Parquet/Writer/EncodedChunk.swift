/// A column chunk ready to be written: its pages with their headers, and what the footer
/// says of it.
struct EncodedChunk {
    enum PageKind {
        case dictionary(count: Int)
        case data(values: Int)
    }

    private(set) var bytes: [UInt8] = []
    /// Where the dictionary page starts in `bytes`, and where the first data page does.
    private(set) var dictionaryPageStart: Int?
    private(set) var firstDataPageStart: Int?
    private(set) var uncompressedSize = 0
    var encodings: [Int32] = []
    var valueCount = 0

    /// Appends a page: its header (Thrift compact) and its compressed body.
    mutating func append(page body: [UInt8], kind: PageKind, compression: ParquetCompression) {
        let compressed = compression.compress(body)
        var header = ThriftCompactWriter()
        switch kind {
        case .dictionary(let count):
            header.i32(1, 2)  // DICTIONARY_PAGE
            header.i32(2, Int32(body.count))
            header.i32(3, Int32(compressed.count))
            header.structure(7) { dictionary in
                dictionary.i32(1, Int32(count))
                dictionary.i32(2, Encoding.plain)
            }
            dictionaryPageStart = bytes.count
        case .data(let values):
            header.i32(1, 0)  // DATA_PAGE
            header.i32(2, Int32(body.count))
            header.i32(3, Int32(compressed.count))
            header.structure(5) { data in
                data.i32(1, Int32(values))
                data.i32(
                    2,
                    encodings.contains(Encoding.rleDictionary) || dictionaryPageStart != nil
                        ? Encoding.rleDictionary : Encoding.plain)
                data.i32(3, Encoding.rle)
                data.i32(4, Encoding.rle)
            }
            if firstDataPageStart == nil { firstDataPageStart = bytes.count }
        }
        let headerBytes = header.finish()
        bytes.append(contentsOf: headerBytes)
        bytes.append(contentsOf: compressed)
        uncompressedSize += headerBytes.count + body.count
    }
}
