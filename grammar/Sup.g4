// The .sup grammar: supervision-tree specifications (docs/language.md).
//
// The parser is generated at build time (compiler/CMakeLists.txt); nothing generated is
// committed. Design notes:
//  - The parse tree only lives inside compiler/lib/Parse: the AST builder copies what it
//    needs into supc's own AST at once.
//  - Decisions are kept cheap (LL(1) almost everywhere, LL(2) for named arguments) so
//    that the fast SLL pass succeeds on every valid spec.
//  - Whitespace is skipped; comments go to the hidden channel so that a formatter can
//    recover them from the token stream. Unknown characters go to the hidden channel too
//    (as BAD_CHAR) and are reported in runs by the token scanner, so that the parser
//    does not report every one of them again.
//  - Enumerated values (one_for_one, permanent, brutal_kill, ...) are plain identifiers:
//    they are contextual and checked by sema against the setting that expects them. The
//    keywords `worker` and `supervisor` are also accepted as values (`type = supervisor`).
//  - A few things are accepted here only to be rejected by sema with a precise message
//    (settings inside loops, children inside dynamic supervisors, a package that is not
//    first): a message about the meaning beats "syntax error" every time.
grammar Sup;

// ---------------------------------------------------------------- declarations

file : topDecl* EOF ;

topDecl
    : packageDecl
    | importDecl
    | constDecl
    | workerDecl
    | supervisorDecl
    | dynamicSupervisorDecl
    | applicationDecl
    ;

// package a.b;
packageDecl : kw=PACKAGE IDENT (DOT IDENT)* SEMI ;

// import "std";   import "path/other.sup";
importDecl : kw=IMPORT path=(STRING | UNTERMINATED_STRING) SEMI ;

// const NAME = expr;
constDecl : kw=CONST name=IDENT ASSIGN expr SEMI ;

// worker NAME(params) = "cpp::Type" from "header.hpp" { settings }
// worker NAME(params) = program "command" { settings }     (`program` is a contextual word)
workerDecl
    : kw=WORKER name=IDENT paramList? ASSIGN
      ( cppType=(STRING | UNTERMINATED_STRING) FROM header=(STRING | UNTERMINATED_STRING)
      | program=IDENT command=(STRING | UNTERMINATED_STRING) )
      (settingsBlock SEMI? | SEMI)
    ;

// supervisor NAME(params) { settings; children }
supervisorDecl : kw=SUPERVISOR name=IDENT paramList? body SEMI? ;

// dynamic_supervisor NAME(params) of Kind(args) { settings }
dynamicSupervisorDecl
    : kw=DYNAMIC_SUPERVISOR name=IDENT paramList? OF kindRef (body SEMI? | SEMI) ;

// application NAME { settings; children }
applicationDecl : kw=APPLICATION name=IDENT body SEMI? ;

paramList : LPAREN (param (COMMA param)* COMMA?)? RPAREN ;

// name: type = default      (`of` may name a parameter, as stdlib kinds take a kind by it)
param : name=(IDENT | OF) COLON typeRef (ASSIGN expr)? ;

// int | duration | string | bool | kind | list<T> | enum(a, b, c), and T? (optional)
typeRef : baseType optional=QUESTION? ;

baseType
    : name=IDENT LT typeRef GT                                  # genericType
    | name=IDENT LPAREN IDENT (COMMA IDENT)* COMMA? RPAREN      # enumType
    | name=IDENT                                                # simpleType
    ;

// ---------------------------------------------------------------- bodies

body : LBRACE bodyItem* RBRACE ;

bodyItem
    : setting
    | childDecl
    | forLoop
    ;

// name = value;   intensity = 3 per 5s;
setting : name=IDENT ASSIGN value=expr (PER period=expr)? SEMI ;

settingsBlock : LBRACE setting* RBRACE ;

// child ID = Kind(args) { settings }      child "worker_{i}" = Kind;
// Between `child` and `=` any keyword is a plain id too: `child worker = PoolWorker;`.
childDecl
    : kw=CHILD
      ( idName=( IDENT | PACKAGE | IMPORT | CONST | WORKER | SUPERVISOR | DYNAMIC_SUPERVISOR
               | APPLICATION | CHILD | FOR | IN | OF | FROM | PER | TRUE | FALSE )
      | idString=(STRING | UNTERMINATED_STRING) )
      ASSIGN kindRef (settingsBlock SEMI? | SEMI)
    ;

// for VAR in A..B { children }
forLoop : kw=FOR var=IDENT IN from=expr DOTDOT to=expr LBRACE bodyItem* RBRACE ;

// Kind, std.Registry, Cache(ttl = 60s); `of` when it names a kind parameter
kindRef : head=(IDENT | OF) (DOT IDENT)* argList? ;

argList : LPAREN (arg (COMMA arg)* COMMA?)? RPAREN ;

// `of` is a keyword, and also the argument by which stdlib kinds take a kind.
arg : (argName=(IDENT | OF) ASSIGN)? expr ;

// ---------------------------------------------------------------- expressions

expr
    : op=MINUS expr                                     # negExpr
    | expr op=(STAR | SLASH | PERCENT) expr             # mulExpr
    | expr op=(PLUS | MINUS) expr                       # addExpr
    | NUMBER                                            # numberExpr
    | (STRING | UNTERMINATED_STRING)                    # stringExpr
    | (TRUE | FALSE)                                    # boolExpr
    | head=(IDENT | OF | WORKER | SUPERVISOR) (DOT IDENT)* argList?  # nameExpr
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK        # listExpr
    | LPAREN expr RPAREN                                # parenExpr
    ;

// ---------------------------------------------------------------- tokens

PACKAGE            : 'package' ;
IMPORT             : 'import' ;
CONST              : 'const' ;
WORKER             : 'worker' ;
SUPERVISOR         : 'supervisor' ;
DYNAMIC_SUPERVISOR : 'dynamic_supervisor' ;
APPLICATION        : 'application' ;
CHILD              : 'child' ;
FOR                : 'for' ;
IN                 : 'in' ;
OF                 : 'of' ;
FROM               : 'from' ;
PER                : 'per' ;
TRUE               : 'true' ;
FALSE              : 'false' ;

LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LT       : '<' ;
GT       : '>' ;
SEMI     : ';' ;
COLON    : ':' ;
QUESTION : '?' ;
COMMA    : ',' ;
DOTDOT   : '..' ;
DOT      : '.' ;
ASSIGN   : '=' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
PERCENT  : '%' ;

// One token for every number-like word: 42, 1_000, 0.2, 500ms, 5s, and also 5sec or 1.5s,
// which the token scanner rejects with a precise message instead of a cascade.
NUMBER : [0-9] [0-9_]* ('.' [0-9] [0-9_]*)? ([a-zA-Z_] [a-zA-Z0-9_]*)? ;

IDENT : [a-zA-Z_] [a-zA-Z0-9_]* ;

// Escapes are validated by the token scanner; a string may not span lines.
STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
UNTERMINATED_STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '\\'? ;

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
// Longest run that does not close the comment: shorter than BLOCK_COMMENT whenever the
// comment is closed, so it only wins for a comment that runs to the end of the file.
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* -> channel(HIDDEN) ;

WS : [ \t\r\n\f]+ -> skip ;

// Anything else, one code point at a time; the token scanner reports runs of them.
BAD_CHAR : . -> channel(HIDDEN) ;
