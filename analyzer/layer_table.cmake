# Generates the C++ tables of layer and field names from analyzer/layer_names.json,
# the one source of those strings (web/build.mjs reads the same file for the page):
#
#   generated/tcpviz/layer_<table>.inc   one {"id", "English", "Chinese"}, per row
#                                        (problems: {"English", "Chinese"},)
#
# Runs at configure time; editing layer_names.json re-runs it.
function(tcpviz_generate_layer_tables json_file out_dir)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${json_file}")
  file(READ "${json_file}" doc)
  set(banner "// Generated from analyzer/layer_names.json by analyzer/layer_table.cmake: edit that file, not this one.\n")
  foreach(table layers fields tcp_options words problems stream)
    string(JSON count LENGTH "${doc}" ${table})
    if(count EQUAL 0)
      message(FATAL_ERROR "${json_file}: no ${table}")
    endif()
    set(text "${banner}")
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON width LENGTH "${doc}" ${table} ${i})
      math(EXPR last_cell "${width} - 1")
      set(row "")
      foreach(j RANGE ${last_cell})
        string(JSON cell GET "${doc}" ${table} ${i} ${j})
        string(REPLACE "\\" "\\\\" cell "${cell}")
        string(REPLACE "\"" "\\\"" cell "${cell}")
        if(table STREQUAL "tcp_options" AND j EQUAL 0)
          string(APPEND row "${cell}, ")
        else()
          string(APPEND row "\"${cell}\", ")
        endif()
      endforeach()
      string(APPEND text "{${row}},\n")
    endforeach()
    # Written only when changed, so that a configure run rebuilds nothing.
    file(CONFIGURE OUTPUT "${out_dir}/tcpviz/layer_${table}.inc" CONTENT "${text}" @ONLY)
  endforeach()
endfunction()
