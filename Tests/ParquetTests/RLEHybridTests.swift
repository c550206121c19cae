@testable import Parquet
import Testing

/// The level and index encoding, checked against the format's own examples.
@Suite("RLE / bit-packing hybrid")
struct RLEHybridTests {
    @Test func eightDistinctValuesAreBitPackedAsTheSpecificationShows() {
        var out: [UInt8] = []
        RLEHybrid.encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3, to: &out)
        // One group of eight (header 1 << 1 | 1), then the specification's bytes 10001000 11000110 11111010.
        #expect(out == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func aLongRunIsRunLengthEncoded() {
        var out: [UInt8] = []
        RLEHybrid.encode(Array(repeating: 1, count: 100), bitWidth: 1, to: &out)
        #expect(out == [0xC8, 0x01, 0x01], "header 100 << 1 as a varint, then the value in one byte")
    }

    @Test func shortStretchesArePackedAndOnlyTheLastGroupIsPadded() {
        var out: [UInt8] = []
        let values: [UInt32] = [1, 0, 1, 0, 1, 0, 1, 0] + Array(repeating: 1, count: 10) + [0, 1, 1]
        RLEHybrid.encode(values, bitWidth: 1, to: &out)
        #expect(out == [0x03, 0x55, 0x14, 0x01, 0x03, 0x06])
    }

    @Test func bitWidthsCoverTheMaximum() {
        #expect([0, 1, 2, 3, 7, 8, 255, 256].map(RLEHybrid.bitWidth) == [0, 1, 2, 2, 3, 4, 8, 9])
    }
}
