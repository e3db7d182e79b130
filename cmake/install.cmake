# What `cmake --install BUILD --prefix P` (and `make install PREFIX=P`) puts
# where. The binary finds P/share/reportc from its own location
# (include/rc/datadir.h), so P can be moved after installing. Packaging
# (`make deb`, scripts/make-deb.sh) installs through these same rules.
include(GNUInstallDirs)

install(TARGETS reportc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Run-time data: everything the binary reads from its data directory. Today
# the five Lato faces and their licence (SIL OFL 1.1), which must travel with them.
install(FILES
  fonts/Lato-Regular.ttf fonts/Lato-Italic.ttf fonts/Lato-Bold.ttf
  fonts/Lato-BoldItalic.ttf fonts/Lato-Light.ttf fonts/OFL.txt
  DESTINATION ${CMAKE_INSTALL_DATADIR}/reportc/fonts)

install(FILES docs/reportc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES scripts/bash-completion/reportc
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# The sample report, laid out as in the repository so that its relative paths
# (the INI's chapters, data and [output] directory = ../out) hold: copy
# examples/iuc-lac-2019 somewhere writable and run
# `reportc build config/iuc-lac-2019.ini` there.
install(DIRECTORY config/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/iuc-lac-2019/config)
