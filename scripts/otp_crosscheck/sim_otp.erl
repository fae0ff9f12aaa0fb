%% The OTP side of the cross-check (scripts/otp_crosscheck/README.md): runs a tree and a
%% `supc sim` script on OTP's own `supervisor` module, with stand-in workers that behave as
%% supc's do, and prints the trace in `supc sim`'s format (without t_ms).
%%
%%   erl -noshell +S 1 -pa DIR -run sim_otp main CASE.terms
%%
%% CASE.terms holds two terms (crosscheck.py writes them): the tree and the script.
%%   Node = #{kind => worker | sup | dyn, id => string(), restart, shutdown, significant,
%%            type => worker | supervisor, strategy, intensity, period (seconds),
%%            auto_shutdown, children => [Node], template => Node, max_children => N | undefined}
%%   Script = [{Line, Command}], Command = {crash, Path, Reason} | {exit, Path, normal | shutdown}
%%          | {fail_start, Path, N} | {hang, Path} | {start_child, Path} | {terminate_child, Path}
%%          | {restart_child, Path} | {delete_child, Path} | {advance, Ms} | stop
%%
%% Where events come from:
%%   start, start_failed   the stand-in (worker) or the start wrapper (supervisor) reports
%%                         them as its parent's start call returns
%%   exit                  a stand-in reports its own scripted exit before exiting; a
%%                         supervisor's own exit (give_up, auto_shutdown, killed by `crash`) is
%%                         its 'DOWN' without an exit request from its parent
%%   terminate             a stand-in reports it obeys its parent; a supervisor's 'DOWN' after
%%                         its parent's {'EXIT', Parent, _} (traced 'receive'); a 'DOWN' killed
%%                         without a report is a kill by the supervisor
%%   give_up               the supervisor's reached_max_restart_intensity report (logger)
%% Events of a process whose supervisor is already dead (killed by `crash`) are not
%% reported: no supervisor sees them, as in supc sim.
-module(sim_otp).

-export([main/1]).
-export([init/1, start_worker/2, start_sup/2, start_dyn_child/3, worker_init/3]).
-export([adding_handler/1, removing_handler/1, log/2]).

-define(ALIGN_MS, 20).

%% ---------------------------------------------------------------- main

main([TermFile]) ->
    {ok, [Tree, Script]} = file:consult(TermFile),
    ok = logger:remove_handler(default),
    ok = logger:add_handler(sim_otp, ?MODULE, #{level => all}),
    ok = logger:set_primary_config(level, all),
    ets:new(sim_ctl, [named_table, public]),
    Collector = spawn(fun() -> collector(#{events => [], procs => #{}, paths => #{},
                                           ignored => #{}, waits => 0, counted => #{}}) end),
    register(sim_collector, Collector),
    process_flag(trap_exit, true),
    align(),
    T0 = erlang:monotonic_time(millisecond),
    Result =
        case supervisor:start_link(?MODULE, {Tree, ""}) of
            {ok, Root} ->
                Collector ! {register, Root, "", supervisor, self()},
                erlang:trace(Root, true, ['receive', {tracer, Collector}]),
                ev({start, ""}),
                settle(),
                run(Script, #{root => Root, tree => Tree, t0 => T0, v => 0, seq => #{}});
            {error, R} ->
                ev({start_failed, "", R}),
                ok
        end,
    Collector ! {dump, self()},
    receive {events, Events} -> [io:put_chars([E, $\n]) || E <- Events] end,
    case Result of
        {error, Line, Msg} -> io:format(standard_error, "error at line ~p: ~ts~n", [Line, Msg]);
        {drift, Line} -> io:format(standard_error, "timing drift at line ~p~n", [Line]);
        _ -> ok
    end,
    halt(0).

run([], _) -> ok;
run([{Line, Cmd} | Rest], S) ->
    case aligned(S) of
        true -> run1(Line, Cmd, Rest, S);
        false -> {drift, Line}
    end.

run1(Line, Cmd, Rest, S) ->
    case catch command(Cmd, S) of
        {error, Msg} -> {error, Line, Msg};
        drift -> {drift, Line};
        {ok, S1} ->
            settle(),
            case {aligned(S1), is_process_alive(maps:get(root, S1))} of
                {false, _} -> {drift, Line};
                {true, true} -> run(Rest, S1);
                {true, false} -> ok
            end;
        Other -> {error, Line, io_lib:format("~p", [Other])}
    end.

%% ---------------------------------------------------------------- commands

command({crash, Path, Reason}, S) ->
    {Pid, Kind, _, _} = running(Path, S),
    case Kind of
        worker -> Pid ! {crash, list_to_binary(Reason)};
        supervisor -> sim_collector ! {own_exit, Pid}, sync_collector(), exit(Pid, kill)
    end,
    {ok, S};
command({exit, Path, Why}, S) ->
    {Pid, _, _, _} = running(Path, S),
    Pid ! {stop, Why},
    {ok, S};
command({hang, Path}, S) ->
    _ = locate(Path, S),
    ets:insert(sim_ctl, {{hang, Path}, true}),
    {ok, S};
command({fail_start, Path, N}, S) ->
    {ParentPath, Id} = split(Path),
    case dynamic_parent(ParentPath, S) of
        {yes, DynPid} ->
            Next = maps:get(DynPid, maps:get(seq, S), 1),
            case integer_to_list(Next) of
                Id -> ok;
                _ -> _ = locate(Path, S)
            end;
        no -> _ = locate(Path, S)
    end,
    ets:insert(sim_ctl, {{fail, Path}, N}),
    {ok, S};
command({start_child, Path}, S) ->
    {Pid, _, _, _} = running(Path, S),
    Node = node_at(Path, S),
    N = length(supervisor:which_children(Pid)),
    case maps:get(max_children, Node, undefined) of
        Max when is_integer(Max), N >= Max -> throw({error, "max_children"});
        _ -> ok
    end,
    Seqs = maps:get(seq, S),
    Seq = maps:get(Pid, Seqs, 1),
    case supervisor:start_child(Pid, [Seq]) of
        {ok, _} -> {ok, S#{seq => Seqs#{Pid => Seq + 1}}};
        {ok, _, _} -> {ok, S#{seq => Seqs#{Pid => Seq + 1}}};
        {error, _} -> {ok, S}
    end;
command({terminate_child, Path}, S) ->
    {ParentPid, Id, Child, Dynamic} = locate(Path, S),
    R = case Dynamic of
            true when is_pid(Child) -> supervisor:terminate_child(ParentPid, Child);
            true -> throw({error, "restarting"});
            false -> supervisor:terminate_child(ParentPid, Id)
        end,
    case R of
        ok -> {ok, S};
        {error, E} -> throw({error, io_lib:format("~p", [E])})
    end;
command({restart_child, Path}, S) ->
    {ParentPid, Id, _, _} = locate(Path, S),
    case supervisor:restart_child(ParentPid, Id) of
        {ok, _} -> {ok, S};
        {ok, _, _} -> {ok, S};
        {error, running} -> throw({error, "running"});
        {error, restarting} -> throw({error, "restarting"});
        {error, not_found} -> throw({error, "not_found"});
        {error, _} -> {ok, S} % the start failed: traced
    end;
command({delete_child, Path}, S) ->
    {ParentPid, Id, _, _} = locate(Path, S),
    case supervisor:delete_child(ParentPid, Id) of
        ok -> {ok, S};
        {error, E} -> throw({error, io_lib:format("~p", [E])})
    end;
command({advance, Ms}, S = #{t0 := T0, v := V}) ->
    sim_collector ! {waits, self()},
    W = receive {waits, X} -> X end,
    V1 = V + Ms,
    Target = T0 + V1 + W,
    Now = erlang:monotonic_time(millisecond),
    case Target - Now of
        Wait when Wait >= 0 -> timer:sleep(Wait);
        _ when Ms > 0 -> throw(drift);
        _ -> ok
    end,
    {ok, S#{v => V1}};
command(stop, S = #{root := Root}) ->
    sim_collector ! stopping,
    Ref = monitor(process, Root),
    exit(Root, shutdown),
    receive {'DOWN', Ref, process, Root, _} -> ok end,
    {ok, S}.

%% Whether real time is still in the whole second that virtual time is in (OTP counts
%% restarts in whole seconds of erlang:monotonic_time/1).
aligned(#{t0 := T0, v := V}) ->
    sim_collector ! {waits, self()},
    W = receive {waits, X} -> X end,
    Real = erlang:monotonic_time(millisecond) - T0 + ?ALIGN_MS,
    Real div 1000 =:= (V + W) div 1000.

%% The running process at Path: {Pid, worker | supervisor, ParentPid, Id}.
running(Path, S) ->
    case locate(Path, S) of
        {ParentPid, Id, Pid, _} when is_pid(Pid) -> {Pid, kind_of(Path, S), ParentPid, Id};
        _ -> throw({error, "not running"})
    end.

kind_of(Path, S) ->
    case maps:get(kind, node_at(Path, S)) of
        worker -> worker;
        _ -> supervisor
    end.

%% {ParentPid, Id, Pid | restarting | undefined, Dynamic}
locate("", #{root := Root}) -> {undefined, "", Root, false};
locate(Path, S) ->
    {ParentPath, Id} = split(Path),
    ParentPid = case locate(ParentPath, S) of
                    {_, _, P, _} when is_pid(P) -> P;
                    _ -> throw({error, "parent not running"})
                end,
    Kids = case catch supervisor:which_children(ParentPid) of
               L when is_list(L) -> L;
               _ -> throw({error, "parent not running"})
           end,
    case maps:get(kind, node_at(ParentPath, S)) of
        dyn ->
            sim_collector ! {whereis, Path, self()},
            Pid = receive {whereis, P2} -> P2 end,
            case lists:keyfind(Pid, 2, Kids) of
                false when is_pid(Pid) -> throw({error, "no such child"});
                false -> throw({error, "no such child"});
                _ -> {ParentPid, Id, Pid, true}
            end;
        _ ->
            case lists:keyfind(Id, 1, Kids) of
                {Id, Child, _, _} -> {ParentPid, Id, Child, false};
                false -> throw({error, "no such child"})
            end
    end.

dynamic_parent(ParentPath, S) ->
    case maps:get(kind, node_at(ParentPath, S)) of
        dyn ->
            case locate(ParentPath, S) of
                {_, _, P, _} when is_pid(P) -> {yes, P};
                _ -> throw({error, "parent not running"})
            end;
        _ -> no
    end.

node_at(Path, #{tree := Tree}) -> node_at1(string:lexemes(Path, "/"), Tree).
node_at1([], Node) -> Node;
node_at1([Seg | Rest], Node = #{kind := dyn}) when Seg =/= "" ->
    _ = Node, node_at1(Rest, maps:get(template, Node));
node_at1([Seg | Rest], #{children := Kids}) ->
    [C] = [K || K = #{id := I} <- Kids, I =:= Seg],
    node_at1(Rest, C).

split(Path) ->
    case string:split(Path, "/", trailing) of
        [Id] -> {"", Id};
        [P, Id] -> {P, Id}
    end.

join("", Id) -> Id;
join(P, Id) -> P ++ "/" ++ Id.

%% ---------------------------------------------------------------- settling

%% Until every supervisor has handled what it was sent, no hung child is being waited for,
%% and no event arrived during a full round of synchronous calls.
settle() -> settle(-1).
settle(Last) ->
    timer:sleep(2),
    sim_collector ! {state, self()},
    {Count, Pending, Sups} = receive {state, C, P, Ss} -> {C, P, Ss} end,
    case Pending of
        true -> settle(-1);
        false ->
            [catch supervisor:count_children(Sup) || Sup <- Sups],
            case Count of
                Last -> ok;
                _ -> settle(Count)
            end
    end.

sync_collector() ->
    sim_collector ! {state, self()},
    receive {state, _, _, _} -> ok end.

align() ->
    Now = erlang:monotonic_time(millisecond),
    timer:sleep(1000 - (Now rem 1000) + ?ALIGN_MS).

%% ---------------------------------------------------------------- supervisors

init({Node, Path}) ->
    Flags = #{strategy => maps:get(strategy, Node), intensity => maps:get(intensity, Node),
              period => maps:get(period, Node), auto_shutdown => maps:get(auto_shutdown, Node)},
    case maps:get(kind, Node) of
        sup ->
            {ok, {Flags, [child_spec(C, Path) || C <- maps:get(children, Node)]}};
        dyn ->
            T = maps:get(template, Node),
            Spec = (child_spec(T#{id => "template"}, Path))#{
                       start => {?MODULE, start_dyn_child, [T, Path]}},
            {ok, {Flags#{strategy => simple_one_for_one}, [Spec]}}
    end.

child_spec(C = #{id := Id}, ParentPath) ->
    Path = join(ParentPath, Id),
    Start = case maps:get(kind, C) of
                worker -> {?MODULE, start_worker, [Path, maps:get(shutdown, C)]};
                _ -> {?MODULE, start_sup, [C, Path]}
            end,
    #{id => Id, start => Start, restart => maps:get(restart, C),
      shutdown => maps:get(shutdown, C), type => maps:get(type, C),
      significant => maps:get(significant, C)}.

start_dyn_child(T, DynPath, Seq) ->
    Path = join(DynPath, integer_to_list(Seq)),
    case maps:get(kind, T) of
        worker -> start_worker(Path, maps:get(shutdown, T));
        _ -> start_sup(T, Path)
    end.

start_sup(Node, Path) ->
    case take_failure(Path) of
        true ->
            ev({start_failed, Path, <<"start failed">>}),
            {error, <<"start failed">>};
        false ->
            case supervisor:start_link(?MODULE, {Node, Path}) of
                {ok, Pid} ->
                    sim_collector ! {register, Pid, Path, supervisor, self(),
                                     maps:get(shutdown, Node, infinity)},
                    erlang:trace(Pid, true, ['receive', {tracer, whereis(sim_collector)}]),
                    ev({start, Path}),
                    {ok, Pid};
                {error, R} ->
                    ev({start_failed, Path, R}),
                    {error, R}
            end
    end.

take_failure(Path) ->
    case ets:lookup(sim_ctl, {fail, Path}) of
        [{_, N}] when N > 0 -> ets:insert(sim_ctl, {{fail, Path}, N - 1}), true;
        _ -> false
    end.

hung(Path) -> ets:lookup(sim_ctl, {hang, Path}) =/= [].

%% ---------------------------------------------------------------- stand-in workers

start_worker(Path, Shutdown) ->
    proc_lib:start_link(?MODULE, worker_init, [self(), Path, Shutdown]).

worker_init(Parent, Path, Shutdown) ->
    process_flag(trap_exit, true),
    case take_failure(Path) of
        true ->
            ev({start_failed, Path, <<"start failed">>}),
            proc_lib:init_ack(Parent, {error, <<"start failed">>});
        false ->
            sim_collector ! {register, self(), Path, worker, Parent},
            ev({start, Path}),
            proc_lib:init_ack(Parent, {ok, self()}),
            worker_loop(Parent, Path, Shutdown)
    end.

worker_loop(Parent, Path, Shutdown) ->
    receive
        {crash, Reason} ->
            ev({exit, Path, Reason}),
            sim_collector ! {reported, self()},
            exit(Reason);
        {stop, Reason} ->
            ev({exit, Path, Reason}),
            sim_collector ! {reported, self()},
            exit(Reason);
        {'EXIT', Parent, Reason} ->
            case hung(Path) of
                true ->
                    sim_collector ! {ignored, self(), Parent, Shutdown},
                    worker_loop(Parent, Path, Shutdown);
                false ->
                    ev({terminate, Path, Reason}),
                    sim_collector ! {reported, self()},
                    exit(Reason)
            end;
        _ ->
            worker_loop(Parent, Path, Shutdown)
    end.

ev(E) -> sim_collector ! {ev, self(), E}.

%% ---------------------------------------------------------------- logger: give_up

adding_handler(Config) -> {ok, Config}.
removing_handler(_) -> ok.
log(#{msg := {report, #{label := {supervisor, shutdown}}}, meta := #{pid := Pid}}, _) ->
    sim_collector ! {give_up, Pid};
log(_, _) -> ok.

%% ---------------------------------------------------------------- the collector

collector(St) ->
    receive
        {register, Pid, Path, Kind, Parent} ->
            collector(register(Pid, Path, Kind, Parent, infinity, St));
        {register, Pid, Path, Kind, Parent, Shutdown} ->
            collector(register(Pid, Path, Kind, Parent, Shutdown, St));
        {ev, From, E} ->
            % A stand-in's own exit or obedience after its supervisor died: nobody sees it.
            case element(1, E) =/= start andalso element(1, E) =/= start_failed
                 andalso parent_dead(From, St) of
                true -> collector(St);
                false -> collector(add(format(E), St))
            end;
        {reported, Pid} -> collector(set(Pid, reported, St));
        {own_exit, Pid} -> collector(set(Pid, own, St));
        {give_up, Pid} ->
            St1 = set(Pid, own, St),
            case maps:find(Pid, maps:get(procs, St)) of
                {ok, #{path := Path}} -> collector(add(format({give_up, Path}), St1));
                error -> collector(St1)
            end;
        {trace, Pid, 'receive', {'EXIT', From, _}} ->
            case maps:find(Pid, maps:get(procs, St)) of
                {ok, #{parent := From}} -> collector(set(Pid, asked, St));
                _ -> collector(St)
            end;
        {trace, _, _, _} -> collector(St);
        {ignored, Pid, Parent, Shutdown} ->
            #{ignored := Ig} = St,
            collector(St#{ignored => Ig#{Pid => {Parent, Shutdown}}});
        stopping -> collector(St#{stopping => true});
        {'DOWN', _, process, Pid, Reason} -> collector(down(Pid, Reason, St));
        {whereis, Path, From} ->
            From ! {whereis, maps:get(Path, maps:get(paths, St), undefined)},
            collector(St);
        {waits, From} ->
            From ! {waits, maps:get(waits, St)},
            collector(St);
        {state, From} ->
            #{events := Es, procs := Ps, ignored := Ig} = St,
            % A hung child keeps the tree busy while its supervisor waits for it; once that
            % supervisor is dead (killed at its own parent's shutdown timeout), nobody does.
            Pending = lists:any(fun({_, {Parent, _}}) -> is_process_alive(Parent) end,
                                maps:to_list(Ig)),
            Sups = [P || {P, #{kind := supervisor}} <- maps:to_list(Ps), is_process_alive(P)],
            From ! {state, length(Es), Pending, Sups},
            collector(St);
        {dump, From} ->
            From ! {events, lists:reverse(maps:get(events, St))}
    end.

register(Pid, Path, Kind, Parent, Shutdown, St = #{procs := Ps, paths := Paths}) ->
    monitor(process, Pid),
    St#{procs => Ps#{Pid => #{path => Path, kind => Kind, parent => Parent, shutdown => Shutdown,
                              asked => false, own => false, reported => false}},
        paths => Paths#{Path => Pid}}.

down(Pid, Reason, St = #{procs := Ps, ignored := Ig}) ->
    St0 = case maps:find(Pid, Ig) of
              {ok, {Parent, Shutdown}} -> count_wait(Parent, Shutdown, St#{ignored => maps:remove(Pid, Ig)});
              error -> St
          end,
    % A supervisor its parent killed at its shutdown timeout (it was asked first): that
    % timeout passed in real time, as a hung worker's does.
    St1 = case maps:find(Pid, Ps) of
              {ok, #{kind := supervisor, asked := true, parent := Up, shutdown := T}}
                when Reason =:= killed, is_integer(T) -> count_wait(Up, T, St0);
              _ -> St0
          end,
    case maps:find(Pid, Ps) of
        error -> St1;
        {ok, P = #{path := Path, kind := Kind}} ->
            St2 = St1#{procs => Ps#{Pid => P#{dead => true}}},
            Silent = parent_dead(Pid, St1),
            if
                Silent -> St2;
                Kind =:= worker ->
                    case maps:get(reported, P) of
                        true -> St2;
                        false -> add(format({terminate, Path, Reason}), St2)
                    end;
                Path =:= "" ->
                    case maps:get(stopping, St, false) of
                        true -> add(format({terminate, "", Reason}), St2);
                        false -> add(format({exit, "", Reason}), St2)
                    end;
                true ->
                    % Its own exit (give_up, auto_shutdown, killed by `crash`), or stopped
                    % by its parent (asked, or killed: brutal_kill, shutdown timeout).
                    Own = maps:get(own, P),
                    Asked = maps:get(asked, P) orelse Reason =:= killed,
                    case Own orelse not Asked of
                        true -> add(format({exit, Path, Reason}), St2);
                        false -> add(format({terminate, Path, Reason}), St2)
                    end
            end
    end.

%% Shutdown timeouts of hung children pass in real time: count them once per supervisor
%% shutdown (a dynamic supervisor waits for all its children at once: kills within a
%% few milliseconds of each other are one wait).
count_wait(Parent, Shutdown, St = #{waits := W, counted := C}) when is_integer(Shutdown) ->
    Now = erlang:monotonic_time(millisecond),
    case maps:find(Parent, C) of
        {ok, Last} when Now - Last < 20 -> St;
        _ -> St#{waits => W + Shutdown, counted => C#{Parent => Now}}
    end;
count_wait(_, _, St) -> St.

parent_dead(Pid, #{procs := Ps}) ->
    case maps:find(Pid, Ps) of
        {ok, #{parent := Parent}} ->
            case maps:find(Parent, Ps) of
                {ok, #{dead := true}} -> true;
                _ -> false
            end;
        error -> false
    end.

set(Pid, Key, St = #{procs := Ps}) ->
    case maps:find(Pid, Ps) of
        {ok, P} -> St#{procs => Ps#{Pid => P#{Key => true}}};
        error -> St
    end.

add(Line, St = #{events := Es}) -> St#{events => [Line | Es]}.

format({start, Path}) -> obj("start", Path, none);
format({give_up, Path}) -> obj("give_up", Path, none);
format({Event, Path, Reason}) -> obj(atom_to_list(Event), Path, reason(Reason)).

obj(Event, Path, none) ->
    ["{\"event\":", json(Event), ",\"path\":", json(Path), "}"];
obj(Event, Path, Reason) ->
    ["{\"event\":", json(Event), ",\"path\":", json(Path), ",\"reason\":", json(Reason), "}"].

%% Reasons as supc prints them: atoms and strings bare, tuples {a,b}.
reason(B) when is_binary(B) -> binary_to_list(B);
reason(A) when is_atom(A) -> atom_to_list(A);
reason(T) when is_tuple(T) -> "{" ++ lists:join(",", [reason(X) || X <- tuple_to_list(T)]) ++ "}";
reason(L) when is_list(L) ->
    case io_lib:printable_unicode_list(L) of
        true -> L;
        false -> "[" ++ lists:join(",", [reason(X) || X <- L]) ++ "]"
    end;
reason(X) -> lists:flatten(io_lib:format("~p", [X])).

json(S) ->
    [$", [esc(C) || C <- lists:flatten(S)], $"].
esc($") -> "\\\"";
esc($\\) -> "\\\\";
esc($\n) -> "\\n";
esc($\t) -> "\\t";
esc(C) when C < 32 -> io_lib:format("\\u~4.16.0b", [C]);
esc(C) -> C.
