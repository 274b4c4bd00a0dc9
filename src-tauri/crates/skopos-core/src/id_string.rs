//! 63-bit ids (visitor ids are keyed hashes) as decimal strings in JSON, because JavaScript
//! numbers lose integers above 2^53. Use as `#[serde(with = "skopos_core::id_string")]`.

use serde::{de, Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(id: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(id)
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    text.parse()
        .map_err(|_| de::Error::custom("an id is a decimal integer in a string"))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Holder(#[serde(with = "super")] i64);

    #[test]
    fn ids_round_trip_as_strings_without_losing_digits() {
        let id = Holder(9_007_199_254_740_993);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"9007199254740993\"");
        assert_eq!(serde_json::from_str::<Holder>(&json).unwrap(), id);
        assert!(serde_json::from_str::<Holder>("12").is_err());
        assert!(serde_json::from_str::<Holder>("\"12x\"").is_err());
    }
}
