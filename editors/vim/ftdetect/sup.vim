" .sup files are supc specs (supervision trees).
autocmd BufNewFile,BufRead *.sup setfiletype sup
