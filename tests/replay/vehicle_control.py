"""The vehicle control API of the BFCL multi-turn benchmark: doors, brakes, engine, climate, cruise.

Ported from bfcl_eval/eval_checker/multi_turn_eval/func_source_code/vehicle_control.py of the
Berkeley Function Calling Leaderboard (ShishirPatil/gorilla, Apache-2.0), behaviour kept (the
random readings come from a random.Random seeded by the scenario, 141053 unless it says).
Changes: no long-context mode; the distance and zip-code tables are dictionaries. Its tools and
parameters are camelCase (`lockDoors`, `fanSpeed`): the generated Python names are not theirs.
"""

from __future__ import annotations

import copy
import random
from typing import Any

MAX_FUEL_LEVEL = 50
MIN_FUEL_LEVEL = 0.0
MILE_PER_GALLON = 20.0

DEFAULT_STATE: dict[str, Any] = {
    "random_seed": 141053,
    "fuelLevel": 0.0,
    "batteryVoltage": 12.6,
    "engineState": "stopped",
    "doorStatus": {"driver": "unlocked", "passenger": "unlocked", "rear_left": "unlocked", "rear_right": "unlocked"},
    "acTemperature": 25.0,
    "fanSpeed": 50,
    "acMode": "auto",
    "humidityLevel": 50.0,
    "headLightStatus": "off",
    "parkingBrakeStatus": "released",
    "parkingBrakeForce": 0.0,
    "slopeAngle": 0.0,
    "brakePedalStatus": "released",
    "brakePedalForce": 0.0,
    "distanceToNextVehicle": 50.0,
    "cruiseStatus": "inactive",
    "destination": "None",
    "frontLeftTirePressure": 32.0,
    "frontRightTirePressure": 32.0,
    "rearLeftTirePressure": 30.0,
    "rearRightTirePressure": 30.0,
}

DISTANCES = {
    frozenset(pair): distance
    for pair, distance in [
        (("83214", "74532"), 750.0),
        (("56108", "62947"), 320.0),
        (("71354", "83462"), 450.0),
        (("47329", "52013"), 290.0),
        (("69238", "51479"), 630.0),
        (("94016", "83214"), 980.0),
        (("94016", "94704"), 600.0),
        (("94704", "08540"), 2550.0),
        (("94016", "08540"), 1950.0),
        (("62947", "47329"), 1053.0),
        (("94016", "62947"), 780.0),
        (("74532", "94016"), 880.0),
    ]
}

ZIP_CODES = {
    "Rivermist": "83214",
    "Stonebrook": "74532",
    "Maplecrest": "56108",
    "Silverpine": "62947",
    "Shadowridge": "71354",
    "Sunset Valley": "83462",
    "Oakendale": "47329",
    "Willowbend": "52013",
    "Crescent Hollow": "69238",
    "Autumnville": "51479",
    "San Francisco": "94016",
}

_DOORS_FIRST = "All doors must be locked before starting the engine."
_PUBLIC = (
    "fuelLevel batteryVoltage engine_state remainingUnlockedDoors doorStatus acTemperature fanSpeed acMode "
    "humidityLevel headLightStatus parkingBrakeStatus brakePedalStatus distanceToNextVehicle cruiseStatus "
    "destination frontLeftTirePressure frontRightTirePressure rearLeftTirePressure rearRightTirePressure"
).split()


class VehicleControlAPI:
    def __init__(self, scenario: dict[str, Any] | None = None) -> None:
        state = copy.deepcopy({**DEFAULT_STATE, **(scenario or {})})
        self._random = random.Random(state["random_seed"])
        self.fuelLevel = state["fuelLevel"]
        self.batteryVoltage = state["batteryVoltage"]
        self.engine_state = state["engineState"]
        self.doorStatus: dict[str, str] = state["doorStatus"]
        self.remainingUnlockedDoors = 4 - sum(status == "locked" for status in self.doorStatus.values())
        self.acTemperature = state["acTemperature"]
        self.fanSpeed = state["fanSpeed"]
        self.acMode = state["acMode"]
        self.humidityLevel = state["humidityLevel"]
        self.headLightStatus = state["headLightStatus"]
        self.parkingBrakeStatus = state["parkingBrakeStatus"]
        self._parkingBrakeForce = state["parkingBrakeForce"]
        self._slopeAngle = state["slopeAngle"]
        self.brakePedalStatus = state["brakePedalStatus"]
        self._brakePedalForce = state["brakePedalForce"]
        self.distanceToNextVehicle = state["distanceToNextVehicle"]
        self.cruiseStatus = state["cruiseStatus"]
        self.destination = state["destination"]
        self.frontLeftTirePressure = state["frontLeftTirePressure"]
        self.frontRightTirePressure = state["frontRightTirePressure"]
        self.rearLeftTirePressure = state["rearLeftTirePressure"]
        self.rearRightTirePressure = state["rearRightTirePressure"]

    def state(self) -> dict[str, Any]:
        """The public attributes, which the benchmark compares, and the hidden forces and angle."""
        public = {name: copy.deepcopy(getattr(self, name)) for name in _PUBLIC}
        hidden = {"parkingBrakeForce": self._parkingBrakeForce, "slopeAngle": self._slopeAngle}
        return {**public, **hidden, "brakePedalForce": self._brakePedalForce}

    def startEngine(self, ignitionMode: str) -> dict[str, Any]:  # noqa: N802 - the tool's name
        if ignitionMode == "STOP":
            self.engine_state = "stopped"
        if self.remainingUnlockedDoors > 0:
            unlocked = ", ".join(door for door, status in self.doorStatus.items() if status == "unlocked")
            return {"error": f"{_DOORS_FIRST} Here are the unlocked doors: {unlocked}"}
        if self.brakePedalStatus != "pressed":
            return {"error": "Brake pedal needs to be pressed when starting the engine."}
        if self._brakePedalForce != 1000.0:
            return {"error": "Must press the brake fully before starting the engine."}
        if self.fuelLevel < MIN_FUEL_LEVEL:
            return {"error": "Fuel tank is empty."}
        if ignitionMode != "START":
            return {"error": "Invalid ignition mode."}
        self.engine_state = "running"
        return {"engineState": self.engine_state, "fuelLevel": self.fuelLevel, "batteryVoltage": self.batteryVoltage}

    def fillFuelTank(self, fuelAmount: float) -> dict[str, Any]:  # noqa: N802 - the tool's name
        if fuelAmount < 0:
            return {"error": "Fuel amount cannot be negative."}
        if self.fuelLevel + fuelAmount > MAX_FUEL_LEVEL:
            return {"error": "Cannot fill gas above the tank capacity."}
        if self.fuelLevel + fuelAmount < MIN_FUEL_LEVEL:
            return {"error": "Fuel tank is empty. Min fuel level is 0 gallons."}
        self.fuelLevel += fuelAmount
        return {"fuelLevel": self.fuelLevel}

    def lockDoors(self, unlock: bool, door: list[str]) -> dict[str, Any]:  # noqa: N802 - the tool's name
        wanted = "unlocked" if unlock else "locked"
        for name in door:
            if self.doorStatus[name] != wanted:
                self.doorStatus[name] = wanted
                self.remainingUnlockedDoors += 1 if unlock else -1
        return {"lockStatus": wanted, "remainingUnlockedDoors": self.remainingUnlockedDoors}

    def adjustClimateControl(  # noqa: N802 - the tool's name
        self, temperature: float, unit: str = "celsius", fanSpeed: int = 50, mode: str = "auto"
    ) -> dict[str, Any]:
        if not 0 <= fanSpeed <= 100:
            return {"error": "Fan speed must be between 0 and 100."}
        self.acTemperature = (temperature - 32) * 5 / 9 if unit == "fahrenheit" else temperature
        self.fanSpeed = fanSpeed
        self.acMode = mode
        return {"currentACTemperature": temperature, "climateMode": mode, "humidityLevel": self.humidityLevel}

    def get_outside_temperature_from_google(self) -> dict[str, Any]:
        return {"outsideTemperature": self._random.uniform(-10.0, 40.0)}

    def get_outside_temperature_from_weather_com(self) -> dict[str, Any]:
        return {"error": 404}

    def setHeadlights(self, mode: str) -> dict[str, str]:  # noqa: N802 - the tool's name
        if mode not in ("on", "off", "auto"):
            return {"error": "Invalid headlight mode."}
        self.headLightStatus = "on" if mode == "on" else "off"
        return {"headlightStatus": self.headLightStatus}

    def displayCarStatus(self, option: str) -> dict[str, Any]:  # noqa: N802 - the tool's name
        options: dict[str, dict[str, Any]] = {
            "fuel": {"fuelLevel": self.fuelLevel},
            "battery": {"batteryVoltage": self.batteryVoltage},
            "doors": {"doorStatus": self.doorStatus},
            "climate": {
                "currentACTemperature": self.acTemperature,
                "fanSpeed": self.fanSpeed,
                "climateMode": self.acMode,
                "humidityLevel": self.humidityLevel,
            },
            "headlights": {"headlightStatus": self.headLightStatus},
            "parkingBrake": {
                "parkingBrakeStatus": self.parkingBrakeStatus,
                "parkingBrakeForce": self._parkingBrakeForce,
                "slopeAngle": self._slopeAngle,
            },
            "brakePedal": {"brakePedalStatus": self.brakePedalStatus, "brakePedalForce": self._brakePedalForce},
            "engine": {"engineState": self.engine_state},
        }
        return options.get(option, {"error": "Invalid option"})

    def activateParkingBrake(self, mode: str) -> dict[str, Any]:  # noqa: N802 - the tool's name
        if mode not in ("engage", "release"):
            return {"error": "Invalid mode"}
        self.parkingBrakeStatus = "engaged" if mode == "engage" else "released"
        self._parkingBrakeForce = 500.0 if mode == "engage" else 0.0
        self._slopeAngle = 10.0
        return {
            "parkingBrakeStatus": self.parkingBrakeStatus,
            "_parkingBrakeForce": self._parkingBrakeForce,
            "_slopeAngle": 10.0,
        }

    def pressBrakePedal(self, pedalPosition: float) -> dict[str, Any]:  # noqa: N802 - the tool's name
        if not 0 <= pedalPosition <= 1:
            return {"error": "Pedal position must be between 0 and 1."}
        if pedalPosition == 0:
            return self.releaseBrakePedal()
        force = pedalPosition * 1000
        self.brakePedalStatus = "pressed"
        self._brakePedalForce = force
        return {"brakePedalStatus": "pressed", "brakePedalForce": float(force)}

    def releaseBrakePedal(self) -> dict[str, Any]:  # noqa: N802 - the tool's name
        self.brakePedalStatus = "released"
        self._brakePedalForce = 0.0
        return {"brakePedalStatus": "released", "brakePedalForce": 0.0}

    def setCruiseControl(  # noqa: N802 - the tool's name
        self, speed: float, activate: bool, distanceToNextVehicle: float
    ) -> dict[str, Any]:
        distance, speed = float(distanceToNextVehicle), float(speed)
        if self.engine_state == "stopped":
            return {"error": "Start the engine before activating the cruise control."}
        self.distanceToNextVehicle = distance
        if activate and (speed < 0 or speed > 120 or speed % 5 != 0):
            return {"error": "Invalid speed"}
        self.cruiseStatus = "active" if activate else "inactive"
        return {"cruiseStatus": self.cruiseStatus, "currentSpeed": speed, "distanceToNextVehicle": distance}

    def get_current_speed(self) -> dict[str, float]:
        return {"currentSpeed": self._random.uniform(0.0, 120.0)}

    def display_log(self, messages: list[str]) -> dict[str, Any]:
        return {"log": messages}

    def estimate_drive_feasibility_by_mileage(self, distance: float) -> dict[str, bool]:
        return {"canDrive": not self.fuelLevel * MILE_PER_GALLON < distance}

    def liter_to_gallon(self, liter: float) -> dict[str, float]:
        return {"gallon": liter * 0.264172}

    def gallon_to_liter(self, gallon: float) -> dict[str, float]:
        return {"liter": gallon * 3.78541}

    def estimate_distance(self, cityA: str, cityB: str) -> dict[str, Any]:  # noqa: N803 - the tool's names
        distance = DISTANCES.get(frozenset((cityA, cityB)))
        return {"error": "distance not found in database."} if distance is None else {"distance": distance}

    def get_zipcode_based_on_city(self, city: str) -> dict[str, str]:
        return {"zipcode": ZIP_CODES.get(city, "00000")}

    def set_navigation(self, destination: str) -> dict[str, str]:
        self.destination = destination
        return {"status": "Navigating to " + destination}

    def check_tire_pressure(self) -> dict[str, Any]:
        pressures = {
            "frontLeftTirePressure": self.frontLeftTirePressure,
            "frontRightTirePressure": self.frontRightTirePressure,
            "rearLeftTirePressure": self.rearLeftTirePressure,
            "rearRightTirePressure": self.rearRightTirePressure,
        }
        healthy = 30 <= sum(pressures.values()) / 4 <= 35
        return {**pressures, "healthy_tire_pressure": healthy, "car_info": {}}

    def find_nearest_tire_shop(self) -> dict[str, str]:
        return {"shopLocation": "456 Oakwood Avenue, Rivermist, 83214"}
