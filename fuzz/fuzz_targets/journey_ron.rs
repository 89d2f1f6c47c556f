//! Journey files: any bytes load as a journey or give a typed error, never a panic; a journey
//! that loads saves to text that loads back equal.
#![no_main]

use journey_map::Journey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(journey) = Journey::from_ron_bytes(data, "fuzz.ron") else {
        return;
    };
    let text = journey.to_ron_string().expect("a loaded journey saves");
    let again = Journey::from_ron_str(&text).expect("a saved journey loads");
    assert_eq!(journey, again, "round trip changed the journey");
});
