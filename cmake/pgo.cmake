# pgo.cmake -- profile-guided optimisation of release builds (DCSIM_PGO).
#
# Why: at 1:1 the pure and naive stages spend their time on the request
# flow's branches and cold request records. Compiled with a profile of real
# runs (which branch is taken, what is hot, what to inline), bench e2e ran
# about 8% faster on the unit stage and 3% on naive, the engine's hold
# the same (alternating runs on a noisy machine, 2026-12-07); the outputs
# are the same bytes, since a profile moves code, never arithmetic.
#
# How: an external project builds this same source, instrumented, in
# pgo-training/ and runs the training set there (dcsim_pgo_train below);
# then the product's targets here compile with the profile it wrote. Both
# builds name each object's profile by its path below their own build
# directory (-fprofile-prefix-path), so the two directories find the same
# files. The training runs again only when its instrumented dcsim changed;
# objects already compiled keep the profile they had, which is still a
# sound one (a profile only guides the compiler).

# The product: what the dcsim program is built from. Tests are left out;
# no profile describes them.
set(DCSIM_PRODUCT_TARGETS dcsim dcsim_core dcsim_conf dcsim_world dcsim_flow
    dcsim_faults dcsim_recovery dcsim_measure dcsim_format dcsim_models dcsim_viz)
if(TARGET dcsim_window)
  list(APPEND DCSIM_PRODUCT_TARGETS dcsim_window)
endif()

if(DCSIM_PGO_TRAIN)
  # The instrumented build (configured by the outer build's external
  # project below): its profiles go to DCSIM_PGO_TRAIN. The training runs
  # one stage at a time (--jobs 1: one worker, the main thread only waits),
  # so the plain update, cheaper than atomics, loses next to no counts, and
  # a lost count only guides the compiler a little less.
  foreach(t IN LISTS DCSIM_PRODUCT_TARGETS)
    target_compile_options(${t} PRIVATE -fprofile-generate=${DCSIM_PGO_TRAIN}
      -fprofile-update=single -fprofile-prefix-path=${CMAKE_BINARY_DIR})
  endforeach()
  target_link_options(dcsim PRIVATE -fprofile-generate=${DCSIM_PGO_TRAIN})
  # The training set: the default comparison (all four stages, small), the
  # whole simulator at 1:1 around the peak, and the engine's workloads.
  # Old profiles go first: they describe an older binary.
  set(trained ${CMAKE_BINARY_DIR}/trained.stamp)
  add_custom_command(OUTPUT ${trained}
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${DCSIM_PGO_TRAIN} ${CMAKE_BINARY_DIR}/training
    COMMAND dcsim compare scenarios/double11-idc-power-loss.yaml --scale 0.02
            --jobs 1 --out ${CMAKE_BINARY_DIR}/training
    COMMAND dcsim bench e2e --reps 1 --window 5
    COMMAND dcsim bench engine --reps 1 --events 2000000
    COMMAND ${CMAKE_COMMAND} -E touch ${trained}
    DEPENDS dcsim
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "Training dcsim for profile-guided optimisation"
    VERBATIM)
  add_custom_target(dcsim_pgo_train DEPENDS ${trained})
elseif(DCSIM_PGO)
  include(ExternalProject)
  set(profile_dir ${CMAKE_BINARY_DIR}/pgo-profile)
  # Under make the training build is a recursive make, so it shares the
  # outer build's -j (cmake --build would run it on one job).
  if(CMAKE_GENERATOR MATCHES "Makefiles")
    set(train_build "$(MAKE)" dcsim_pgo_train)
  else()
    set(train_build ${CMAKE_COMMAND} --build <BINARY_DIR> --target dcsim_pgo_train)
  endif()
  ExternalProject_Add(dcsim_pgo_training
    SOURCE_DIR ${CMAKE_SOURCE_DIR}
    BINARY_DIR ${CMAKE_BINARY_DIR}/pgo-training
    CMAKE_ARGS -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
               -DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}
               -DCMAKE_C_FLAGS=${CMAKE_C_FLAGS}
               -DDCSIM_VIZ=${DCSIM_VIZ} -DDCSIM_MPI=${DCSIM_MPI}
               -DDCSIM_PGO=OFF -DDCSIM_PGO_TRAIN=${profile_dir}
    BUILD_COMMAND ${train_build}
    BUILD_ALWAYS ON
    INSTALL_COMMAND "")
  # -fprofile-partial-training: what the training never ran is optimised
  # as usual, not for size (other stages and scenarios run it).
  foreach(t IN LISTS DCSIM_PRODUCT_TARGETS)
    add_dependencies(${t} dcsim_pgo_training)
    target_compile_options(${t} PRIVATE -fprofile-use=${profile_dir}
      -fprofile-partial-training -fprofile-prefix-path=${CMAKE_BINARY_DIR}
      -Wno-missing-profile)
  endforeach()
endif()
