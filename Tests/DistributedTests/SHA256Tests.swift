import Distributed
import Testing

/// SHA-256 against the FIPS 180-4 examples (NIST CSRC "Examples with intermediate values").
@Suite struct SHA256Tests {
    @Test func oneBlockMessage() {
        #expect(SHA256.hash(Array("abc".utf8)).hexadecimal == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func emptyMessage() {
        #expect(SHA256.hash([]).hexadecimal == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func twoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hash(Array(message.utf8)).hexadecimal == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func longMessage() {
        let message = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(SHA256.hash(Array(message.utf8)).hexadecimal == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    @Test func oneMillionA() {
        #expect(SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000)).hexadecimal
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesEqualOneUpdate() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var hash = SHA256()
        for chunk in stride(from: 0, to: bytes.count, by: 61) { hash.update(bytes[chunk..<min(chunk + 61, bytes.count)]) }
        #expect(hash.finalize() == SHA256.hash(bytes))
    }
}
