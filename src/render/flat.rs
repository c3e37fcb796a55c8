//! One struct's fields written as another's own, as `#[serde(flatten)]` does, while
//! the outer value stays a struct.
//!
//! serde writes a struct with a flattened field as a map of unknown size. Tera then
//! allocates every key of every row (a portfolio's pains page has tens of thousands
//! of rows) and grows each map as it fills; serde_json writes the same bytes either
//! way. [`serialize_flat!`] writes the struct as a struct, with the flattened field's
//! fields in its place ([`fields_into`]).

use serde::ser::{Impossible, Serialize, SerializeStruct, Serializer};

/// Writes the fields of `inner`, which serializes as a struct (or a reference to one),
/// into `outer`, as if they were its own.
pub fn fields_into<S, T>(outer: &mut S, inner: &T) -> Result<(), S::Error>
where
    S: SerializeStruct,
    T: Serialize + ?Sized,
{
    inner.serialize(Fields(outer))
}

/// `impl Serialize` for a struct whose fields are written as they are, except the one
/// marked `flatten` (first or last, as in the struct), whose fields are written in
/// its place. Every field is named, in order: the compiler checks that none is
/// missing.
///
/// ```ignore
/// serialize_flat!(PainRow<'_> { text, severity; flatten place });
/// ```
macro_rules! serialize_flat {
    ($ty:ty { $($field:ident),+ ; flatten $inner:ident }) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let Self { $($field,)+ $inner } = self;
                let mut s = serializer.serialize_struct(
                    stringify!($ty),
                    [$(stringify!($field)),+].len() + $crate::render::flat::GUESS,
                )?;
                $(s.serialize_field(stringify!($field), $field)?;)+
                $crate::render::flat::fields_into(&mut s, $inner)?;
                s.end()
            }
        }
    };
    ($ty:ty { flatten $inner:ident ; $($field:ident),+ }) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let Self { $inner, $($field),+ } = self;
                let mut s = serializer.serialize_struct(
                    stringify!($ty),
                    [$(stringify!($field)),+].len() + $crate::render::flat::GUESS,
                )?;
                $crate::render::flat::fields_into(&mut s, $inner)?;
                $(s.serialize_field(stringify!($field), $field)?;)+
                s.end()
            }
        }
    };
}
pub(crate) use serialize_flat;

/// How many fields a flattened struct is taken to have, for the outer one's size. The
/// size is a guess: Tera and serde_json take it as a hint only. A format that writes
/// the number of fields (bincode) must not be given these structs.
pub const GUESS: usize = 12;

/// A serializer that hands a struct's fields to an outer struct's serializer.
struct Fields<'a, S>(&'a mut S);

fn not_a_struct<E: serde::ser::Error>() -> E {
    E::custom("only a struct with named fields can be flattened")
}

/// The serializer methods of values that are not structs: each fails.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<(), S::Error> {
            Err(not_a_struct())
        })*
    };
}

impl<S: SerializeStruct> Serializer for Fields<'_, S> {
    type Ok = ();
    type Error = S::Error;
    type SerializeSeq = Impossible<(), S::Error>;
    type SerializeTuple = Impossible<(), S::Error>;
    type SerializeTupleStruct = Impossible<(), S::Error>;
    type SerializeTupleVariant = Impossible<(), S::Error>;
    type SerializeMap = Impossible<(), S::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), S::Error>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), S::Error> {
        Err(not_a_struct())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_struct())
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, S::Error> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Err(not_a_struct())
    }
}

impl<S: SerializeStruct> SerializeStruct for Fields<'_, S> {
    type Ok = ();
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<(), S::Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    #[derive(Serialize)]
    struct Inner {
        b: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        c: Option<&'static str>,
    }

    #[derive(Serialize)]
    struct Flattened {
        a: &'static str,
        #[serde(flatten)]
        inner: Inner,
    }

    struct Flat {
        a: &'static str,
        inner: Inner,
    }
    serialize_flat!(Flat { a; flatten inner });

    struct First {
        inner: Inner,
        a: &'static str,
    }
    serialize_flat!(First { flatten inner; a });

    #[test]
    fn writes_what_serde_flatten_writes() {
        for c in [None, Some("<c>")] {
            let want = serde_json::to_string(&Flattened {
                a: "a",
                inner: Inner { b: 2, c },
            })
            .unwrap();
            let flat = serde_json::to_string(&Flat {
                a: "a",
                inner: Inner { b: 2, c },
            })
            .unwrap();
            assert_eq!(flat, want);
            let first = serde_json::to_string(&First {
                inner: Inner { b: 2, c },
                a: "a",
            })
            .unwrap();
            assert_eq!(
                first,
                format!(
                    "{{\"b\":2,{}\"a\":\"a\"}}",
                    c.map_or(String::new(), |c| format!("\"c\":\"{c}\","))
                )
            );
        }
    }

    #[test]
    fn a_value_that_is_not_a_struct_is_an_error() {
        struct Bad {
            a: u8,
            inner: Vec<u8>,
        }
        serialize_flat!(Bad { a; flatten inner });
        let err = serde_json::to_string(&Bad {
            a: 1,
            inner: vec![1],
        })
        .unwrap_err();
        assert!(err.to_string().contains("only a struct"), "{err}");
    }
}
