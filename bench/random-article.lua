-- wrk: each request asks for one of the 1,000 generated articles at random.
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/articles/generated-%04d", math.random(1, 1000)))
end
