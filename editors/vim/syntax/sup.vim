" Vim syntax file for supc's .sup specs (grammar/Sup.g4; docs/language.md).
if exists('b:current_syntax')
  finish
endif

syn keyword supDeclaration package import const worker supervisor dynamic_supervisor application
syn keyword supKeyword child of from per
syn keyword supRepeat for in
syn keyword supBoolean true false
syn keyword supValue one_for_one one_for_all rest_for_one permanent transient temporary brutal_kill infinity never any_significant all_significant none exponential unique duplicate
syn keyword supValue exec notify path abstract log inherit discard automatic cgroup process_tree
syn keyword supType int duration string bool decimal kind list enum
syn match supBuiltin /\<\(env\|schedulers\)\ze\s*(/
" A setting is known by its place, not by a list: the name that starts a statement (at the
" start of a line or after `{` or `;`) and is followed by `=`. Kind arguments `K(a = 1)` and
" parameter defaults `(p: int = 1)` are not statements. So a new setting needs no line here.
syn match supSetting /\(^\|[{;]\)\s*\zs\h\w*\ze\s*=\(=\)\@!/
syn match supProgram /\(=\s*\)\@<=program\>/

" The declared name after its keyword (a look-behind: the keyword itself is a keyword).
syn match supDeclName /\(\<\(worker\|supervisor\|dynamic_supervisor\|application\|const\)\s\+\)\@<=\h\w*/
syn match supChildId /\(\<child\s\+\)\@<=\h\w*/

syn match supDuration /\<\d[0-9_]*\(ms\|s\|m\|h\)\>/
syn match supNumber /\<\d[0-9_]*\(\.\d[0-9_]*\)\=\>/

syn match supEscape /\\["\\nt]/ contained
syn match supInterpolation /{\h\w*}/ contained
syn region supString start=/"/ skip=/\\./ end=/"\|$/ contains=supEscape,supInterpolation oneline

syn match supSuppression /supc:allow([^)]*)/ contained
syn keyword supTodo TODO FIXME XXX contained
syn match supLineComment "//.*$" contains=supSuppression,supTodo
syn region supBlockComment start="/\*" end="\*/" contains=supTodo

hi def link supDeclaration Keyword
hi def link supKeyword Keyword
hi def link supRepeat Repeat
hi def link supBoolean Boolean
hi def link supSetting Identifier
hi def link supValue Constant
hi def link supType Type
hi def link supBuiltin Function
hi def link supProgram Keyword
hi def link supDeclName Function
hi def link supChildId Identifier
hi def link supDuration Number
hi def link supNumber Number
hi def link supString String
hi def link supEscape SpecialChar
hi def link supInterpolation Special
hi def link supSuppression PreProc
hi def link supTodo Todo
hi def link supLineComment Comment
hi def link supBlockComment Comment

let b:current_syntax = 'sup'
