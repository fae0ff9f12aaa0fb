" Editing .sup specs: comments and indentation as `supc fmt` lays them out (4 spaces).
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1
setlocal commentstring=//\ %s comments=s1:/*,mb:*,ex:*/,://
setlocal expandtab shiftwidth=4 softtabstop=4 tabstop=4
setlocal cindent cinoptions=(4,W4
let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< tabstop< cindent< cinoptions<'
