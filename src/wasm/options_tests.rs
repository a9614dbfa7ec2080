//! The reader knows every option the core's `MeterConfig` has (serde's field names are the reference).

use super::METER_OPTION_KEYS;
use crate::meter::MeterConfig;

#[test]
fn the_reader_knows_every_meter_config_field() {
    let json = serde_json::to_value(MeterConfig::default()).unwrap();
    let mut serde_keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut ours = METER_OPTION_KEYS.to_vec();
    serde_keys.sort_unstable();
    ours.sort_unstable();
    assert_eq!(
        ours, serde_keys,
        "read the new option in src/wasm/options.rs and list it in METER_OPTION_KEYS"
    );
}
