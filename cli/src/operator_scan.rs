//! One pass over a function body's operators that validates them, when
//! asked, and finds the few that the memory rewrite changes.
//!
//! Decoding the operators is most of what validating a body costs, and the
//! rewrite must decode them too, to find its calls and memory instructions.
//! A visitor that hands each operator to the validator and notes the ones
//! the rewrite cares about does both with one decode, and without building
//! an `Operator` value for every instruction.

use wasmparser::{
    BinaryReader, BinaryReaderError, FrameKind, FrameStack, FuncValidator, OperatorsReader,
    ValidatorResources, VisitOperator, VisitSimdOperator,
};

/// An operator the memory rewrite may replace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Call(u32),
    ReturnCall(u32),
    RefFunc(u32),
    MemorySize,
    MemoryGrow,
}

/// Reads every operator `reader` (positioned after a body's locals) has
/// left, validating each with `validator` if given, and calls `changed`
/// with the start and end offsets of each operator that is a [`Change`].
pub(crate) fn scan(
    reader: BinaryReader<'_>,
    validator: Option<&mut FuncValidator<ValidatorResources>>,
    mut changed: impl FnMut(usize, usize, Change),
) -> Result<(), BinaryReaderError> {
    let Some(validator) = validator else {
        let mut operators = OperatorsReader::new(reader);
        while !operators.eof() {
            let start = operators.original_position();
            let mut change = None;
            operators.visit_operator(&mut Noting {
                inner: Unchecked,
                change: &mut change,
            })??;
            if let Some(change) = change {
                changed(start, operators.original_position(), change);
            }
        }
        return operators.finish();
    };
    // The validator keeps the stack of blocks the reader needs, as in
    // `FuncValidator::validate`; an `OperatorsReader` would keep a second.
    let mut reader = reader;
    while !reader.eof() {
        let start = reader.original_position();
        let mut change = None;
        reader.visit_operator(&mut Noting {
            inner: validator.visitor(start),
            change: &mut change,
        })??;
        if let Some(change) = change {
            changed(start, reader.original_position(), change);
        }
    }
    reader.finish_expression(&validator.visitor(reader.original_position()))
}

/// Passes each operator on to `inner` and notes whether it is a [`Change`].
struct Noting<'c, V> {
    inner: V,
    change: &'c mut Option<Change>,
}

/// Defines the visit methods the rewrite does not care about as calls of the
/// same method on `inner`.
macro_rules! pass_on {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $( pass_on!(one $visit $($($arg: $argty),*)?); )*
    };
    (one visit_call $($rest:tt)*) => {};
    (one visit_return_call $($rest:tt)*) => {};
    (one visit_ref_func $($rest:tt)*) => {};
    (one visit_memory_size $($rest:tt)*) => {};
    (one visit_memory_grow $($rest:tt)*) => {};
    (one $visit:ident $($arg:ident: $argty:ty),*) => {
        fn $visit(&mut self $(, $arg: $argty)*) -> Self::Output {
            self.inner.$visit($($arg),*)
        }
    };
}

impl<V: FrameStack> FrameStack for Noting<'_, V> {
    fn current_frame(&self) -> Option<FrameKind> {
        self.inner.current_frame()
    }
}

impl<'a, V> VisitOperator<'a> for Noting<'_, V>
where
    V: VisitOperator<'a, Output = Result<(), BinaryReaderError>>,
{
    type Output = Result<(), BinaryReaderError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        self.inner.simd_visitor()
    }

    fn visit_call(&mut self, function_index: u32) -> Self::Output {
        *self.change = Some(Change::Call(function_index));
        self.inner.visit_call(function_index)
    }

    fn visit_return_call(&mut self, function_index: u32) -> Self::Output {
        *self.change = Some(Change::ReturnCall(function_index));
        self.inner.visit_return_call(function_index)
    }

    fn visit_ref_func(&mut self, function_index: u32) -> Self::Output {
        *self.change = Some(Change::RefFunc(function_index));
        self.inner.visit_ref_func(function_index)
    }

    fn visit_memory_size(&mut self, mem: u32) -> Self::Output {
        if mem == 0 {
            *self.change = Some(Change::MemorySize);
        }
        self.inner.visit_memory_size(mem)
    }

    fn visit_memory_grow(&mut self, mem: u32) -> Self::Output {
        if mem == 0 {
            *self.change = Some(Change::MemoryGrow);
        }
        self.inner.visit_memory_grow(mem)
    }

    wasmparser::for_each_visit_operator!(pass_on);
}

/// Accepts every operator: for bodies that are validated elsewhere.
struct Unchecked;

/// Defines visit methods that accept their operator.
macro_rules! accept {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(, _: $argty)*)?) -> Self::Output {
                Ok(())
            }
        )*
    };
}

impl<'a> VisitOperator<'a> for Unchecked {
    type Output = Result<(), BinaryReaderError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(accept);
}

impl VisitSimdOperator<'_> for Unchecked {
    wasmparser::for_each_visit_simd_operator!(accept);
}
