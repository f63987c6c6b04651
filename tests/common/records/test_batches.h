#pragma once
// Hand-assembled record batches for the record tests: bytes written out field by field, so the
// parser is checked against an encoding it did not produce.

#include <cstdint>
#include <vector>

namespace common::records::testing {

// One uncompressed batch: base_offset 5, partition_leader_epoch 7, CreateTime, not transactional,
// last_offset_delta 0, timestamps 1700000000000, producer 42 epoch 3 sequence 9, one record
// (null key, value "hi", no headers). CRC 0xA9F1FBF5 computed by an independent bitwise CRC32C.
inline std::vector<uint8_t> hand_batch() {
    return {
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x05,  // base_offset
        0x00,
        0x00,
        0x00,
        0x3A,  // batch_length 58
        0x00,
        0x00,
        0x00,
        0x07,  // partition_leader_epoch
        0x02,  // magic
        0xA9,
        0xF1,
        0xFB,
        0xF5,  // crc
        0x00,
        0x00,  // attributes
        0x00,
        0x00,
        0x00,
        0x00,  // last_offset_delta
        0x00,
        0x00,
        0x01,
        0x8B,
        0xCF,
        0xE5,
        0x68,
        0x00,  // base_timestamp
        0x00,
        0x00,
        0x01,
        0x8B,
        0xCF,
        0xE5,
        0x68,
        0x00,  // max_timestamp
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x2A,  // producer_id
        0x00,
        0x03,  // producer_epoch
        0x00,
        0x00,
        0x00,
        0x09,  // base_sequence
        0x00,
        0x00,
        0x00,
        0x01,  // records_count
        // record: length 8, attributes, ts delta 0, offset delta 0, key -1, value 2 "hi", 0 headers
        0x10,
        0x00,
        0x00,
        0x00,
        0x01,
        0x04,
        0x68,
        0x69,
        0x00,
    };
}

}  // namespace common::records::testing
