# Generates the analyzer's note tables from analyzer/notes.json, the one
# source of the note sentences (web/build.mjs reads the same file for the page):
#
#   generated/tcpviz/note_ids.inc        TCPVIZ_NOTE_ID(name) per note, in order
#   generated/tcpviz/note_sentences.inc  {"name", "English", "Chinese"}, per note
#   generated/tcpviz/note_side_words.inc {"client", "server"} in English, then Chinese
#
# Runs at configure time; editing notes.json re-runs it.
function(tcpviz_generate_note_tables json_file out_dir)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${json_file}")
  file(READ "${json_file}" doc)
  string(JSON count LENGTH "${doc}" notes)
  if(count EQUAL 0)
    message(FATAL_ERROR "${json_file}: no notes")
  endif()
  set(banner "// Generated from analyzer/notes.json by analyzer/note_table.cmake: edit that file, not this one.\n")
  set(ids "${banner}")
  set(sentences "${banner}")
  math(EXPR last "${count} - 1")
  foreach(i RANGE ${last})
    string(JSON id GET "${doc}" notes ${i} id)
    if(NOT id MATCHES "^[a-z_]+$")
      message(FATAL_ERROR "${json_file}: note ${i}: id '${id}' is not lower_case")
    endif()
    string(JSON args GET "${doc}" notes ${i} args)
    string(APPEND ids "TCPVIZ_NOTE_ID(${id})  // ${args}\n")
    set(pair "")
    foreach(lang en zh)
      string(JSON text GET "${doc}" notes ${i} ${lang})
      string(REPLACE "\\" "\\\\" text "${text}")
      string(REPLACE "\"" "\\\"" text "${text}")
      string(APPEND pair ", \"${text}\"")
    endforeach()
    string(APPEND sentences "{\"${id}\"${pair}},\n")
  endforeach()
  set(words "${banner}")
  foreach(lang en zh)
    string(JSON client GET "${doc}" side_words ${lang} client)
    string(JSON server GET "${doc}" side_words ${lang} server)
    string(APPEND words "{\"${client}\", \"${server}\"},\n")
  endforeach()
  # Written only when changed, so that a configure run rebuilds nothing.
  file(CONFIGURE OUTPUT "${out_dir}/tcpviz/note_ids.inc" CONTENT "${ids}" @ONLY)
  file(CONFIGURE OUTPUT "${out_dir}/tcpviz/note_sentences.inc" CONTENT "${sentences}" @ONLY)
  file(CONFIGURE OUTPUT "${out_dir}/tcpviz/note_side_words.inc" CONTENT "${words}" @ONLY)
endfunction()
