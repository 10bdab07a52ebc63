-- CPU cost of Lua code in the VM, measured deterministically: VM instructions counted by a
-- count hook (thousands), plus os.clock seconds of the WASM build as an indication only.
EmuMeasure = {}

function EmuMeasure.run(fn)
  local ticks = 0
  local c0 = os.clock()
  debug.sethook(function() ticks = ticks + 1 end, "", 1000)
  local ok, err = pcall(fn)
  debug.sethook()
  local c1 = os.clock()
  if not ok then error(err, 0) end
  return { kinstructions = ticks, seconds = c1 - c0 }
end
