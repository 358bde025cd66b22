//! A tiny expression parser and evaluator.
use std::collections::HashMap;
use std::fmt::{self, Display};
use crate::lexer::{Lexer, Token};

mod tests;
pub mod ops {
    pub const PRECEDENCE_ADD: u8 = 1;
    pub const PRECEDENCE_MUL: u8 = 2;
}

pub static MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number(f64),
    Var(String),
    Binary { op: char, lhs: Box<Expr>, rhs: Box<Expr> },
}

pub struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token>,
}

pub type Env = HashMap<String, f64>;

pub trait Eval {
    fn eval(&self, env: &Env) -> Result<f64, String>;
    fn is_const(&self) -> bool {
        false
    }
}

impl<'a> Parser<'a> {
    pub fn new(source: &'a str) -> Self {
        Parser { lexer: Lexer::new(source), peeked: None }
    }

    fn next(&mut self) -> Option<Token> {
        self.peeked.take().or_else(|| self.lexer.next_token())
    }

    pub fn parse_expr(&mut self, depth: usize) -> Result<Expr, String> {
        if depth > MAX_DEPTH {
            return Err(format!("nesting deeper than {}", MAX_DEPTH));
        }
        match self.next() {
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Ident(name)) => Ok(Expr::Var(name)),
            other => Err(format!("unexpected {:?}", other)),
        }
    }
}

impl Eval for Expr {
    fn eval(&self, env: &Env) -> Result<f64, String> {
        match self {
            Expr::Number(n) => Ok(*n),
            Expr::Var(name) => env.get(name).copied().ok_or_else(|| name.clone()),
            Expr::Binary { op, lhs, rhs } => apply(*op, lhs.eval(env)?, rhs.eval(env)?),
        }
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self)
    }
}

fn apply(op: char, a: f64, b: f64) -> Result<f64, String> {
    match op {
        '+' => Ok(a + b),
        '*' => Ok(a * b),
        _ => Err(format!("unknown operator {}", op)),
    }
}

macro_rules! num {
    ($n:expr) => {
        $crate::parser::Expr::Number($n as f64)
    };
}
